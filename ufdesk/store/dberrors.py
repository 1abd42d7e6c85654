"""Database drivers' errors as sentences: SQLite's and PostgreSQL's messages are English and say
nothing of what the user should do. No SQLAlchemy import: works on the wrapped and raw errors alike."""

from __future__ import annotations

DB_MESSAGES = [  # (words in SQLite's or the server's message, what the user reads)
    ("readonly database", "数据库文件是只读的（没有写权限），修改没有保存。"),
    ("database or disk is full", "磁盘已满，修改没有保存（请腾出空间后重试）。"),
    ("disk i/o error", "读写数据库文件时出错（U盘被拔出或磁盘有问题？），修改没有保存。"),
    ("unable to open database file", "无法打开数据库文件（文件夹不存在或没有权限）。"),
    ("database is locked", "数据库正被另一个程序使用，请稍后重试。"),
    ("file is not a database", "数据库文件已损坏或不是 ufdesk 数据库，请运行“ufdesk check”检查。"),
    ("malformed", "数据库文件已损坏，请运行“ufdesk check”检查，并从备份恢复。"),
    ("connection", "无法连接数据库服务器（请检查地址、网络和服务器是否在运行）。"),
]


def db_error(exc: BaseException) -> str | None:
    """A sentence for a database driver's error (SQLAlchemy wraps sqlite3's and psycopg's)."""
    modules = {type(e).__module__.split(".")[0] for e in (exc, getattr(exc, "orig", None)) if e is not None}
    if not modules & {"sqlalchemy", "sqlite3", "psycopg", "alembic"}:
        return None
    text = str(getattr(exc, "orig", None) or exc).lower()
    for words, message in DB_MESSAGES:
        if words in text:
            return message
    return "数据库操作失败，修改没有保存。"
