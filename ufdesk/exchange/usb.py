"""Writing a package to a USB stick safely (sticks lie about fsync; Windows antivirus holds
files): the package is built and verified on local disk first; here we check the target is
writable and has room (and FAT32's 4 GiB limit), write under a temporary name, flush and
fsync, rename (retrying while the file is held), read it back and compare, and clean leftover
temporary files of earlier attempts. Only then is it safe to eject.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import shutil
import sys
import time
from pathlib import Path

from ..domain.errors import UfError

TMP_PREFIX = ".ufpkg-"
TMP_SUFFIX = ".tmp"
FAT_LIMIT = 4 * 1024 ** 3 - 1
MARGIN = 1024 * 1024  # keep a little room on the stick
SAFE_MESSAGE = "已写入并校验无误，可以安全拔出U盘。"


class TargetError(UfError):
    """The stick (or folder) cannot take the package; the message says why and what to do."""


def filesystem_type(path: str | os.PathLike) -> str:
    """The file system of the mount holding ``path`` ("vfat", "exfat", "ntfs", "FAT32"…),
    or "" when it cannot be told."""
    p = os.path.realpath(path)
    if sys.platform.startswith("linux"):
        best, kind = "", ""
        try:
            with open("/proc/mounts", encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) >= 3:
                        mnt = parts[1].replace("\\040", " ")
                        if (p == mnt or p.startswith(mnt.rstrip("/") + "/")) and len(mnt) > len(best):
                            best, kind = mnt, parts[2]
        except OSError:
            return ""
        return kind
    if sys.platform == "win32":
        try:
            import ctypes

            buf = ctypes.create_unicode_buffer(64)
            root = os.path.splitdrive(p)[0] + "\\"
            if ctypes.windll.kernel32.GetVolumeInformationW(root, None, 0, None, None, None, buf, 64):
                return buf.value
        except Exception:
            return ""
    return ""


def is_fat(kind: str) -> bool:
    return kind.lower() in ("vfat", "fat", "fat32", "msdos")


def clean_leftovers(target: Path) -> int:
    """Remove temporary files left by an earlier, interrupted write."""
    n = 0
    for p in target.glob(f"{TMP_PREFIX}*{TMP_SUFFIX}"):
        try:
            p.unlink()
            n += 1
        except OSError:
            pass
    return n


def _replace(src: Path, dst: Path, attempts: int = 20, wait: float = 0.5) -> None:
    for i in range(attempts):
        try:
            os.replace(src, dst)
            return
        except PermissionError:  # Windows: antivirus or the indexer holds the file for a while
            if i == attempts - 1:
                raise
            time.sleep(wait)


def _fsync_dir(target: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(target, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _explain(exc: OSError, target: Path) -> TargetError:
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return TargetError(f"目标位置（{target}）是只读的或没有写权限，无法写入：请检查U盘的写保护开关，或换一个U盘/文件夹。")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return TargetError(f"目标位置（{target}）空间不足，写入失败：请清理U盘或换一个更大的U盘。")
    if exc.errno == errno.EFBIG:
        return TargetError(f"文件超过目标文件系统允许的大小（{target}）：请把U盘格式化为 exFAT 或 NTFS。")
    return TargetError(f"写入 {target} 失败：{exc.strerror or exc}。请重新插好U盘后再试。")


def write_file(data: bytes, dest: str | os.PathLike) -> Path:
    """Write ``data`` to ``dest`` safely; returns the final path. Raises ``TargetError``."""
    dest = Path(dest)
    target = dest.parent
    if not target.is_dir():
        raise TargetError(f"找不到目标文件夹：{target}（U盘是否已插好？）")
    clean_leftovers(target)
    if not os.access(target, os.W_OK):
        raise TargetError(f"目标位置（{target}）是只读的或没有写权限，无法写入：请检查U盘的写保护开关，或换一个U盘/文件夹。")
    free = shutil.disk_usage(target).free
    if free < len(data) + MARGIN:
        raise TargetError(f"U盘空间不足：数据包需要 {len(data) / 1e6:.1f} MB，目标只剩 {free / 1e6:.1f} MB。"
                          "请清理U盘或换一个U盘。")
    if len(data) > FAT_LIMIT and is_fat(filesystem_type(target)):
        raise TargetError("数据包超过 4 GB，FAT32 格式的U盘放不下：请把U盘格式化为 exFAT 或 NTFS。")
    tmp = target / f"{TMP_PREFIX}{secrets.token_hex(4)}{TMP_SUFFIX}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with open(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        _replace(tmp, dest)
        _fsync_dir(target)
        back = dest.read_bytes()
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _explain(exc, target) from exc
    if hashlib.sha256(back).digest() != hashlib.sha256(data).digest():
        raise TargetError(f"写入后读回校验不一致（{dest}）：U盘可能有故障，请换一个U盘重新导出。")
    return dest
