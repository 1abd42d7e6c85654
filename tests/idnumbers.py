"""Valid ID numbers for tests (a separate module: two conftest.py files cannot both be imported)."""

from __future__ import annotations


def make_id(birth: str = "19800101", seq: int = 123, area: str = "510599") -> str:
    """A valid 18-digit ID number (the check digit computed): odd ``seq`` = male."""
    from stdnum.iso7064 import mod_11_2

    body = f"{area}{birth}{seq:03d}"
    return body + mod_11_2.calc_check_digit(body)
