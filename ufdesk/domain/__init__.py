"""The ledgers' definitions: fields, code tables, validators and typed errors. No I/O beyond
reading the shipped code tables, no Qt."""

from .ledgers import LEDGERS, SUBS, ledger
from .model import COUNTY_KEY, Field, Ledger, SubLedger, defaults_of

__all__ = ["LEDGERS", "SUBS", "ledger", "Field", "Ledger", "SubLedger", "COUNTY_KEY", "defaults_of"]
