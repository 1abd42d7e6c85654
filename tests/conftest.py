"""Shared fixtures. GUI tests run offscreen: no display is needed anywhere."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("UFDESK_HOME", os.path.join(os.environ.get("TMPDIR", "/tmp"), "ufdesk-test-home"))

COUNTY = ("510599", "测试县")
TOWNSHIPS = [("510599100", "城关镇"), ("510599101", "河东乡"), ("510599102", "北城街道")]
VILLAGES = [("510599100001", "东街社区"), ("510599100002", "桂花村"), ("510599101001", "石桥村")]


@pytest.fixture
def store(tmp_path):
    """A fresh, empty county database with three townships."""
    from ufdesk.store import Store

    s = Store.create(tmp_path / "county.db", county_code=COUNTY[0], county_name=COUNTY[1],
                     townships=TOWNSHIPS, villages=VILLAGES)
    yield s
    s.close()


@pytest.fixture
def services(store):
    from ufdesk.services import Services

    return Services(store, user="测试员")
