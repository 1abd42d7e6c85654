"""Third-party notices: every library the program runs on and every bundled font, with its
licence — what 帮助 → 关于 → 第三方软件许可 shows and what the bundle ships as
``resources/THIRD_PARTY_NOTICES.txt`` (installer.spec writes it at build time from the build
environment, so it names exactly the versions bundled). No Qt.
"""

from __future__ import annotations

import importlib.metadata as md
import re
from dataclasses import dataclass, field

from .paths import resource

FILE_NAME = "THIRD_PARTY_NOTICES.txt"
PROJECT = "ufdesk"

# The fonts under resources/fonts: (files, name, licence, the licence file beside them).
FONTS = [
    (("wqy-microhei.ttc",), "文泉驿微米黑 WenQuanYi Micro Hei", "Apache-2.0 或 GPL-3.0（附字体例外）",
     "LICENSE-wqy-microhei.txt"),
    (("uming.ttc",), "文鼎PL明体 AR PL UMing", "Arphic Public License", "LICENSE-arphic-uming.txt"),
    (("HanaMinA-ext.ttf", "HanaMinB-ext.ttf"), "花园明朝 Hanazono Mincho（子集）",
     "Hanazono Font License 或 SIL OFL-1.1", "LICENSE-hanazono.txt"),
]

# Licence texts shipped in resources/licenses for libraries whose wheel carries none.
STANDARD_TEXTS = [("LGPL-3.0", "LGPL-3.0.txt"), ("GPL-3.0", "GPL-3.0.txt")]

_LICENCE_FILE = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE)", re.IGNORECASE)


@dataclass
class Library:
    name: str
    version: str
    licence: str
    texts: list[tuple[str, str]] = field(default_factory=list)  # (file name, text)


def _requirement(req: str, extras: frozenset[str]) -> tuple[str, frozenset[str]] | None:
    """(distribution, its extras asked for) of a requirement, or None when it does not apply
    here: only with an extra not asked for, or on another platform (markers evaluated with
    ``packaging`` where it is installed, as it is where the bundle is built)."""
    try:
        from packaging.requirements import Requirement
    except ImportError:
        name, _, marker = req.partition(";")
        if "extra" in marker and not any(f'"{e}"' in marker or f"'{e}'" in marker for e in extras):
            return None
        m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[([^\]]*)\])?", name)
        if not m:
            return None
        return m.group(1), frozenset(x.strip() for x in (m.group(2) or "").split(",") if x.strip())
    r = Requirement(req)
    if r.marker is not None and not any(r.marker.evaluate({"extra": e}) for e in (extras or {""})):
        return None
    return r.name, frozenset(r.extras)


def runtime_distributions(extras: tuple[str, ...] = ("postgres",)) -> list[md.Distribution]:
    """The installed distributions the program runs on: its requirements (and those of
    ``extras`` when installed), followed to theirs; sorted by name."""
    queue = [(PROJECT, frozenset(extras))]
    visited: set[tuple[str, frozenset[str]]] = set()
    found: dict[str, md.Distribution] = {}
    while queue:
        name, asked = queue.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if (key, asked) in visited:
            continue
        visited.add((key, asked))
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:  # an optional one not installed: not bundled either
            continue
        if key != PROJECT:
            found[key] = dist
        queue += [r for r in (_requirement(q, asked) for q in dist.requires or []) if r is not None]
    return sorted(found.values(), key=lambda d: d.metadata["Name"].lower())


def _licence_of(dist: md.Distribution) -> str:
    meta = dist.metadata
    expr = meta.get("License-Expression")
    if expr:
        return expr
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::") and "OSI Approved" != c.split("::")[-1].strip()]
    text = (meta.get("License") or "").strip()
    if classifiers:
        return "; ".join(classifiers)
    if text and "\n" not in text and len(text) < 100:
        return text
    return "见下方许可文本" if text else "未注明"


def library(dist: md.Distribution) -> Library:
    lib = Library(dist.metadata["Name"], dist.version, _licence_of(dist))
    seen = set()
    for f in dist.files or []:
        path = str(f).replace("\\", "/")
        name = path.split("/")[-1]
        in_licences = ".dist-info/licenses/" in path or ".dist-info/license_files/" in path
        if not (in_licences or _LICENCE_FILE.search(name)) or name.endswith((".py", ".pyc")):
            continue
        try:
            text = f.locate().read_text(encoding="utf-8", errors="replace")
        except (OSError, UnicodeError):
            continue
        if text.strip() and text not in seen:
            seen.add(text)
            lib.texts.append((path.split(".dist-info/", 1)[-1], text))
    text = dist.metadata.get("License") or ""
    if not lib.texts and "\n" in text.strip():  # the whole licence written into the metadata
        lib.texts.append(("License", text))
    if lib.licence == "未注明" and lib.texts:
        lib.licence = "见下方许可文本"
    if not lib.texts:  # a wheel without its licence file (PySide6): the licence it names
        lib.texts += [(f"licenses/{f}", resource("licenses", f).read_text(encoding="utf-8"))
                      for key, f in STANDARD_TEXTS if key in lib.licence and resource("licenses", f).exists()]
    return lib


def build_text() -> str:
    """The notices: a summary line for each library and font, then each one's licence text."""
    libs = [library(d) for d in runtime_distributions()]
    lines = ["统战工作台账（ufdesk）所用的第三方软件和字体及其许可", "=" * 40, "", "软件库（名称 版本：许可）", ""]
    lines += [f"  {lib.name} {lib.version}：{lib.licence}" for lib in libs]
    lines += ["", "LGPL 许可的库（Qt/PySide6、psycopg、python-stdnum）以动态链接方式使用，可替换为其他版本；"
              "其源代码可从各项目主页获得。", "", "字体（resources/fonts）", ""]
    lines += [f"  {name}（{'、'.join(files)}）：{licence}" for files, name, licence, _f in FONTS]
    for lib in libs:
        for fname, text in lib.texts:
            lines += ["", "-" * 72, f"{lib.name} {lib.version} — {fname}", "-" * 72, text.rstrip()]
    for _files, name, _licence, fname in FONTS:
        path = resource("fonts", fname)
        if path.exists():
            lines += ["", "-" * 72, f"{name} — {fname}", "-" * 72,
                      path.read_text(encoding="utf-8", errors="replace").rstrip()]
    return "\n".join(lines) + "\n"


def notices_text() -> str:
    """What the program shows: the bundled file when there is one (a built program has no
    metadata of its libraries to read), else built from the installed libraries."""
    path = resource(FILE_NAME)
    if path.exists():
        return path.read_text(encoding="utf-8")
    return build_text()
