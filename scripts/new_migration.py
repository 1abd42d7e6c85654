"""Write the migration for what changed in the ledger descriptions (a field added …).

    python scripts/new_migration.py "代表人士：新增 微信号"
    python scripts/new_migration.py --refresh      # only rewrite migrations/revisions.json

A database built by the existing migrations is compared with the schema the descriptions give
(Alembic's autogenerate); the migration is numbered after the newest one and fixed up so that
it runs on SQLite *and* PostgreSQL: a live-records index's condition is ``deleted = 0`` on
SQLite but ``NOT deleted`` on PostgreSQL (whose booleans are not integers), and a boolean's
default is ``sa.false()`` / ``sa.true()``, not ``'0'``. Then ``revisions.json`` (the start-up
fast path's copy of Alembic's revision list) is refreshed. Review the file before committing.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PG_WHERE = re.compile(r"postgresql_where=sa\.text\(['\"]deleted = (?:0|false)['\"]\)")
BOOL_DEFAULT = re.compile(r"(sa\.Boolean\(\)[^\n]*?)server_default=sa\.text\(['\"]([01])['\"]\)")


def portable(text: str) -> str:
    """Autogenerate renders for the dialect it compared against (SQLite): make it portable."""
    text = PG_WHERE.sub("postgresql_where=sa.text('NOT deleted')", text)
    return BOOL_DEFAULT.sub(lambda m: m.group(1) + ("server_default=sa.true()" if m.group(2) == "1"
                                                    else "server_default=sa.false()"), text)


def generate(message: str, folder: Path | None = None) -> Path | None:
    """Write the migration into ``folder`` (default: the program's migrations); None when the
    descriptions and the migrations already agree."""
    from alembic import command

    from ufdesk.paths import migrations_dir
    from ufdesk.store.engine import alembic_graph, create_engine, write_revisions_file

    folder = Path(folder or migrations_dir())
    head = alembic_graph(folder)["head"]
    if head is None:
        raise SystemExit("迁移有多个分支头，请先合并。")
    number = f"{int(head) + 1:04d}" if head.isdigit() else None
    before = set((folder / "versions").glob("*.py"))
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(Path(tmp) / "probe.db")
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(folder))
        cfg.attributes["engine"] = engine
        command.upgrade(cfg, "head")
        command.revision(cfg, message=message, autogenerate=True, rev_id=number)
        engine.dispose()
    [path] = set((folder / "versions").glob("*.py")) - before
    text = path.read_text(encoding="utf-8")
    body = text.split("def upgrade() -> None:", 1)[1].split("def downgrade()", 1)[0]
    if "op." not in body:
        path.unlink()
        return None
    path.write_text(portable(text), encoding="utf-8")
    write_revisions_file(folder)
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="为台账定义的变化生成迁移（SQLite 与 PostgreSQL 通用）")
    p.add_argument("message", nargs="?", help="迁移说明，如“代表人士：新增 微信号”")
    p.add_argument("--refresh", action="store_true", help="只刷新 revisions.json")
    args = p.parse_args(argv)
    if args.refresh:
        from ufdesk.store.engine import write_revisions_file

        print(f"已刷新 {write_revisions_file()}")
        return 0
    if not args.message:
        p.error("请给出迁移说明")
    path = generate(args.message)
    if path is None:
        print("台账定义与现有迁移一致，无需新迁移。")
        return 0
    print(f"已生成迁移 {path}（请检查后提交）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
