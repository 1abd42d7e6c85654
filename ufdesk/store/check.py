"""Integrity check of a database: schema version, SQLite's own checks, foreign keys."""

from __future__ import annotations

import os

import sqlalchemy as sa

from .dberrors import db_error
from .engine import create_engine, current_revision, head_revision, is_sqlite_url, make_url


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
    except Exception as exc:  # not a database at all, or unreadable
        return False, [f"无法打开数据库：{db_error(exc) or '文件可能已损坏。'}"]
    if rev == head:
        lines.append(f"结构版本：{rev}（最新）")
    elif rev is None:
        ok = False
        lines.append("结构版本：无（不是 ufdesk 数据库，或尚未初始化）")
    else:
        lines.append(f"结构版本：{rev}（本程序最新为 {head}，打开时会自动升级）")
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
