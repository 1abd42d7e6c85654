"""What a user can do: query, change, count. Built on the store; no Qt."""

from .query import Query
from .records import Change, Services

__all__ = ["Query", "Services", "Change"]
