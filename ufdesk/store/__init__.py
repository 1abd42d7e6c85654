"""The store: SQLAlchemy schema, engine, migrations, record writing. No Qt."""

from .db import Store
from .records import WriteCtx

__all__ = ["Store", "WriteCtx"]
