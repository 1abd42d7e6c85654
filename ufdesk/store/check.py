"""Integrity check of a database: schema version, live columns against the ledger
descriptions, SQLite's own checks, foreign keys."""

from __future__ import annotations

import os

import sqlalchemy as sa

from ..domain.errors import StoreError
from .dberrors import db_error
from .engine import create_engine, current_revision, head_revision, is_sqlite_url, make_url


def live_columns(conn: sa.Connection) -> dict[str, set[str]]:
    """{table: its columns} as the database has them — one query, cheap enough for start-up."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
                                    "WHERE m.type = 'table'")
    else:
        rows = conn.execute(sa.text("SELECT table_name, column_name FROM information_schema.columns "
                                    "WHERE table_schema = current_schema()"))
    out: dict[str, set[str]] = {}
    for table, column in rows:
        out.setdefault(table, set()).add(column)
    return out


def missing_columns(conn: sa.Connection) -> list[str]:
    """What the schema (built from the ledger descriptions) has and the database lacks, named
    for a person: ``代表人士（representatives）：测试字段（test_field）``. Empty when all is there."""
    from ..domain import LEDGERS, SUBS
    from .schema import metadata

    live = live_columns(conn)
    out = []
    for name, table in metadata.tables.items():
        have = live.get(name)
        desc = LEDGERS.get(name) or (SUBS[name][1] if name in SUBS else None)
        title = f"{desc.label}（{name}）" if desc is not None else name
        if have is None:
            out.append(f"{title}：整张表")
            continue
        labels = {f.name: f.label for f in getattr(desc, "fields", ())}
        lacking = [c.name for c in table.columns if c.name not in have]
        if lacking:
            out.append(f"{title}：" + "、".join(f"{labels[c]}（{c}）" if c in labels else c for c in lacking))
    return out


MISSING_TEXT = ("数据库缺少本程序台账定义中的字段——{}。通常是新增字段时漏写了迁移："
                "请用 scripts/new_migration.py 生成迁移，再打开数据库。")


def check(db: str | os.PathLike) -> tuple[bool, list[str]]:
    """``(ok, lines)``: every line says what was checked and how it went."""
    lines: list[str] = []
    ok = True
    url = make_url(db)
    if is_sqlite_url(url):
        path = url.removeprefix("sqlite:///")
        if not os.path.exists(path):
            return False, [f"数据库文件不存在：{path}"]
    try:
        engine = create_engine(db, readonly=is_sqlite_url(url))
        rev, head = current_revision(engine), head_revision(engine)
    except StoreError as exc:  # said as it is (a server driver not installed …)
        return False, [str(exc)]
    except Exception as exc:  # not a database at all, or unreadable
        return False, [f"无法打开数据库：{db_error(exc) or '文件可能已损坏。'}"]
    if rev == head:
        lines.append(f"结构版本：{rev}（最新）")
    elif rev is None:
        ok = False
        lines.append("结构版本：无（不是 ufdesk 数据库，或尚未初始化）")
    else:
        lines.append(f"结构版本：{rev}（本程序最新为 {head}，打开时会自动升级）")
    if rev is not None:
        try:
            with engine.connect() as conn:
                lacking = missing_columns(conn)
        except sa.exc.DatabaseError:
            lacking = []  # the checks below say what is wrong with the file
        if lacking:
            ok = False
            lines.append("字段检查：" + MISSING_TEXT.format("；".join(lacking)))
        else:
            lines.append("字段检查：与台账定义一致")
    if engine.dialect.name != "sqlite":
        lines.append("完整性检查：PostgreSQL 由服务器自行保证，请用 pg_dump/pg_amcheck 等服务器工具。")
        return ok, lines
    try:
        with engine.connect() as conn:
            result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
            if result == ["ok"]:
                lines.append("完整性检查（integrity_check）：通过")
            else:
                ok = False
                lines.append("完整性检查（integrity_check）：失败 — " + "；".join(result[:5]))
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if fk:
                ok = False
                tables = sorted({r[0] for r in fk})
                lines.append(f"外键检查：{len(fk)} 处引用不存在的记录（表：{'、'.join(tables)}）")
            else:
                lines.append("外键检查：通过")
            if rev is not None:
                n = conn.execute(sa.text("SELECT count(*) FROM installation")).scalar()
                if n != 1:
                    ok = False
                    lines.append("本机安装信息：缺失（请运行 ufdesk init）")
    except Exception as exc:
        ok = False
        lines.append(f"检查中断：{db_error(exc) or '文件可能已损坏。'}")
    finally:
        engine.dispose()
    return ok, lines



def storage_notice(db: str | os.PathLike) -> str | None:
    """For a healthy SQLite file: a sentence when it cannot be written (read-only file, folder or
    medium) or its disk is full — not damage, so ``ufdesk check`` still passes, with this notice."""
    import shutil

    from .engine import FULL_BYTES

    url = make_url(db)
    if not is_sqlite_url(url):
        return None
    path = os.path.abspath(url.removeprefix("sqlite:///"))
    folder = os.path.dirname(path)
    if not os.access(path, os.W_OK) or not os.access(folder, os.W_OK):
        return ("注意：数据库文件不能写入（文件、文件夹或磁盘是只读的，如写保护的U盘、只读的共享文件夹）："
                "可以查看和打印，不能保存修改。文件本身完好。")
    free = shutil.disk_usage(folder).free
    if free < FULL_BYTES:
        return (f"注意：磁盘已满（只剩 {free // 1024} KB）：可以查看和打印，但修改、导入和备份会保存不了。"
                "请先清理磁盘空间。文件本身完好。")
    return None


# -- a SQLite file on its own (backups and restores work on files, through sqlite3) -------------
def file_quick_check(conn) -> str:
    """SQLite's quick check of an open ``sqlite3`` connection: "ok", or the first problem."""
    return conn.execute("PRAGMA quick_check").fetchone()[0]


def as_one_file(conn) -> None:
    """Leave the database as one self-contained file (no WAL beside it): a backup or a restored
    copy can then be moved or copied alone."""
    conn.execute("PRAGMA journal_mode=DELETE")
