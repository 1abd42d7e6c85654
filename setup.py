"""The wheel's packages: ufdesk and its sub-packages as found (Alembic's migrations folders too),
plus the top-level ``data/`` and ``resources/`` folders and their sub-folders, installed inside
the package as ``ufdesk/data`` and ``ufdesk/resources``. The source layout stays as it is;
ufdesk/paths.py looks in both places. Everything else is in pyproject.toml, which cannot combine
package discovery with mapped folders."""

from pathlib import Path

from setuptools import find_namespace_packages, setup

HERE = Path(__file__).resolve().parent
TREES = {"ufdesk.data": "data", "ufdesk.resources": "resources"}


def folders(package: str, top: str) -> list[str]:
    root = HERE / top
    return [".".join([package, *d.relative_to(root).parts]) for d in [root, *sorted(root.rglob("*"))] if d.is_dir()]


code = find_namespace_packages(include=["ufdesk", "ufdesk.*"], exclude=["*__pycache__*"])
files = [p for package, top in TREES.items() for p in folders(package, top)]

setup(
    packages=[*code, *files],
    package_dir=TREES,
    package_data={"ufdesk.store.migrations": ["*.mako", "*.json"], **{p: ["*"] for p in files}},
)
