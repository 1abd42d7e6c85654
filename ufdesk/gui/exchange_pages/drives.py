"""Finding the USB stick: QStorageInfo on a thread of its own (it can block on a dead drive)."""

from __future__ import annotations

import os
import sys
import threading

from PySide6.QtCore import QObject, Signal

REMOVABLE_ROOTS = ("/media/", "/run/media/", "/mnt/", "/Volumes/")


def looks_removable(root: str, fs_type: str, is_root: bool) -> bool:
    """QStorageInfo has no "removable" flag: a stick is usually mounted under /media (Linux),
    /Volumes (macOS), or is a drive other than the system's with a FAT/exFAT file system."""
    if is_root:
        return False
    if any(root.startswith(p) for p in REMOVABLE_ROOTS):
        return True
    if sys.platform == "win32" and not root.upper().startswith(os.environ.get("SystemDrive", "C:").upper()):
        return fs_type.upper() in ("FAT32", "FAT", "EXFAT", "VFAT")
    return False


def list_drives() -> list[dict]:
    """Mounted, writable volumes: ``{root, name, free, fs, removable}`` (removable first)."""
    from PySide6.QtCore import QStorageInfo

    out = []
    for v in QStorageInfo.mountedVolumes():
        if not v.isValid() or not v.isReady() or v.isReadOnly():
            continue
        fs = bytes(v.fileSystemType()).decode(errors="replace")
        if fs in ("tmpfs", "devtmpfs", "overlay", "squashfs", "proc", "sysfs"):
            continue
        root = v.rootPath()
        out.append({"root": root, "name": v.displayName() or root, "free": v.bytesAvailable(), "fs": fs,
                    "removable": looks_removable(root, fs, v.isRoot())})
    out.sort(key=lambda d: (not d["removable"], d["root"]))
    return out


class DriveScanner(QObject):
    """``scan()`` lists the drives off the UI thread; ``found`` carries the list back."""

    found = Signal(object)

    def scan(self) -> None:
        threading.Thread(target=lambda: self.found.emit(list_drives()), daemon=True, name="ufdesk-drives").start()
