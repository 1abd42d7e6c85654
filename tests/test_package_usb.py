"""Writing packages to a stick: full, read-only, FAT32, antivirus holding the file, leftovers."""

from __future__ import annotations

import errno
import os
from collections import namedtuple

import pytest

from ufdesk.exchange import usb

Usage = namedtuple("Usage", "total used free")


def test_write_reads_back_and_leaves_no_temporary_file(tmp_path):
    (tmp_path / ".ufpkg-dead.tmp").write_bytes(b"left by a pulled stick")
    dest = usb.write_file(b"package bytes" * 1000, tmp_path / "城关镇.ufpkg")
    assert dest.read_bytes() == b"package bytes" * 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["城关镇.ufpkg"]
    assert "可以安全拔出" in usb.SAFE_MESSAGE


def test_full_stick_is_refused_before_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(usb.shutil, "disk_usage", lambda p: Usage(8_000_000, 7_990_000, 10_000))
    with pytest.raises(usb.TargetError, match="空间不足.*只剩 0.0 MB"):
        usb.write_file(b"x" * 2_000_000, tmp_path / "a.ufpkg")
    assert list(tmp_path.iterdir()) == []


def test_stick_filling_up_while_writing_cleans_up(tmp_path, monkeypatch):
    real_open = open

    class Full:
        def __init__(self, *a, **k):
            self.f = real_open(*a, **k)

        def __enter__(self):
            return self

        def __exit__(self, *a):
            self.f.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(usb, "open", Full, raising=False)
    with pytest.raises(usb.TargetError, match="空间不足"):
        usb.write_file(b"abc", tmp_path / "a.ufpkg")
    assert list(tmp_path.iterdir()) == []


def test_read_only_stick(tmp_path, monkeypatch):
    def read_only(*a, **k):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(usb, "open", read_only, raising=False)
    with pytest.raises(usb.TargetError, match="只读.*写保护"):
        usb.write_file(b"abc", tmp_path / "a.ufpkg")
    assert not (tmp_path / "a.ufpkg").exists()


def test_missing_stick(tmp_path):
    with pytest.raises(usb.TargetError, match="找不到目标文件夹"):
        usb.write_file(b"abc", tmp_path / "gone" / "a.ufpkg")


def test_fat32_four_gigabyte_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(usb, "FAT_LIMIT", 100)
    monkeypatch.setattr(usb, "filesystem_type", lambda p: "vfat")
    with pytest.raises(usb.TargetError, match="FAT32.*exFAT"):
        usb.write_file(b"y" * 101, tmp_path / "a.ufpkg")
    monkeypatch.setattr(usb, "filesystem_type", lambda p: "exfat")
    assert usb.write_file(b"y" * 101, tmp_path / "a.ufpkg").stat().st_size == 101


def test_rename_is_retried_while_antivirus_holds_the_file(tmp_path, monkeypatch):
    real = os.replace
    calls = {"n": 0}

    def held(src, dst):
        calls["n"] += 1
        if calls["n"] < 3:
            raise PermissionError(13, "The process cannot access the file")
        return real(src, dst)

    monkeypatch.setattr(usb.os, "replace", held)
    monkeypatch.setattr(usb.time, "sleep", lambda s: None)
    usb.write_file(b"abc", tmp_path / "a.ufpkg")
    assert calls["n"] == 3 and (tmp_path / "a.ufpkg").read_bytes() == b"abc"


def test_filesystem_type_of_a_real_mount():
    assert usb.filesystem_type("/") != ""
