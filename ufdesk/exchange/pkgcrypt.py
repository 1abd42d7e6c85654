"""Encryption of transfer packages: scrypt + ChaCha20-Poly1305 in authenticated chunks.

Why not pyrage: its passphrase API picks its own scrypt work factor (about a second per
package), and a test suite that seals hundreds of packages needs one it can lower. The layout
below is age's design (scrypt passphrase stanza, header MAC, STREAM chunking) written with
standard primitives only — Python's ``hashlib.scrypt`` and ``cryptography``'s
ChaCha20Poly1305 — no home-made cipher.

Layout of an encrypted ``.ufpkg`` file (all integers big-endian)::

    offset size  content
    0      8     magic  b"UFPKGENC"
    8      1     layout version (1)
    9      1     log2 N of scrypt (work factor; written by the sender, capped by the reader)
    10     1     scrypt r
    11     1     scrypt p
    12     16    random salt
    28     32    header MAC: HMAC-SHA256(mac_key, bytes 0..27)
    60     ...   chunks

    scrypt(passphrase UTF-8, salt, N, r, p) → 64 bytes: enc_key = [0:32], mac_key = [32:64]
    Plaintext is cut into 64 KiB chunks; chunk i (from 0) is ChaCha20-Poly1305(enc_key,
    nonce = i as 11 bytes ‖ last-flag byte (1 on the final chunk, else 0), aad = bytes 0..59).
    Each stored chunk is its plaintext plus a 16-byte tag; exactly one final chunk (empty only
    when the plaintext is empty).

A wrong passphrase fails the header MAC; a flipped bit anywhere fails the MAC or a chunk's
tag; a file cut short lacks its final chunk (a chunk that was not written as final never
verifies as final). The salt is fresh per file, so every file has its own key.

Work factor: ``DEFAULT_LOG_N`` = 18 (as age; 256 MiB, about half a second). Sealing uses the
module constant ``LOG_N`` — the test suite's fixture lowers it to 10; no environment variable
can weaken a real file. The reader refuses log2 N outside 10…18, r outside 1…32, p outside
1…4, or more than the default's 256 MiB of scrypt memory, before deriving anything: a header
forged without the passphrase costs at most what a genuine package costs to refuse.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct

from ..domain.errors import UfError

MAGIC = b"UFPKGENC"
LAYOUT = 1
CHUNK = 64 * 1024
TAG = 16
HEADER = 60
DEFAULT_LOG_N = 18
LOG_N = DEFAULT_LOG_N  # what sealing uses; tests patch it (tests/conftest.py), nothing else may
MIN_LOG_N, MAX_LOG_N = 10, DEFAULT_LOG_N
MAX_MEMORY = 128 * 8 * (1 << DEFAULT_LOG_N)  # the default work factor's 256 MiB
MIN_PASSPHRASE = 8  # for every file sealed: packages, encrypted backups, this installation's keys


class PackageCryptoError(UfError):
    """A package that cannot be opened: wrong passphrase, damaged, cut short, or forged."""


def _keys(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    out = hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=1 << log_n, r=r, p=p,
                         maxmem=MAX_MEMORY + 64 * 1024 * 1024, dklen=64)
    return out[:32], out[32:]


def _nonce(i: int, last: bool) -> bytes:
    return i.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def encrypt(plaintext: bytes, passphrase: str, *, log_n: int | None = None, r: int = 8, p: int = 1) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    if len(passphrase or "") < MIN_PASSPHRASE:
        raise UfError(f"口令太短：至少 {MIN_PASSPHRASE} 个字符（交换口令、加密备份的口令都是如此）。")
    log_n = LOG_N if log_n is None else log_n
    salt = os.urandom(16)
    enc_key, mac_key = _keys(passphrase, salt, log_n, r, p)
    head = MAGIC + struct.pack(">BBBB", LAYOUT, log_n, r, p) + salt
    head += hmac.new(mac_key, head, hashlib.sha256).digest()
    aead = ChaCha20Poly1305(enc_key)
    parts = [head]
    n_chunks = max(1, -(-len(plaintext) // CHUNK))
    view = memoryview(plaintext)
    for i in range(n_chunks):
        piece = bytes(view[i * CHUNK:(i + 1) * CHUNK])
        parts.append(aead.encrypt(_nonce(i, i == n_chunks - 1), piece, head))
    return b"".join(parts)


def read_header(data: bytes) -> tuple[int, int, int, bytes]:
    """``(log_n, r, p, salt)`` after checking magic, layout and the KDF limits."""
    if len(data) < HEADER or data[:8] != MAGIC:
        raise PackageCryptoError("不是 ufdesk 数据包（文件头不对），或文件已损坏、不完整。")
    layout, log_n, r, p = struct.unpack(">BBBB", data[8:12])
    if layout > LAYOUT:
        raise PackageCryptoError(f"数据包采用较新的加密格式（第 {layout} 版），请先升级 ufdesk 后再导入。")
    if layout != LAYOUT:
        raise PackageCryptoError("数据包文件头已损坏（加密格式版本不对），请重新导出。")
    if not (MIN_LOG_N <= log_n <= MAX_LOG_N and 1 <= r <= 32 and 1 <= p <= 4
            and 128 * r * (1 << log_n) * p <= MAX_MEMORY):
        raise PackageCryptoError(
            f"数据包的密钥派生参数异常（scrypt log2N={log_n}, r={r}, p={p}），超出允许范围，"
            "可能已损坏或被伪造，已拒绝处理。")
    return log_n, r, p, data[12:28]


def decrypt(data: bytes, passphrase: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    log_n, r, p, salt = read_header(data)
    enc_key, mac_key = _keys(passphrase, salt, log_n, r, p)
    head = data[:HEADER]
    if not hmac.compare_digest(hmac.new(mac_key, head[:28], hashlib.sha256).digest(), head[28:HEADER]):
        raise PackageCryptoError("交换口令不正确（或数据包文件头已损坏）：请核对口令后重试。")
    aead = ChaCha20Poly1305(enc_key)
    body = memoryview(data)[HEADER:]
    step = CHUNK + TAG
    if len(body) < TAG:
        raise PackageCryptoError("数据包不完整（文件被截断），可能是U盘拔出过早：请重新导出后再导入。")
    out = []
    i = 0
    pos = 0
    while pos < len(body):
        piece = bytes(body[pos:pos + step])
        last = pos + step >= len(body)
        try:
            out.append(aead.decrypt(_nonce(i, last), piece, head))
        except InvalidTag:
            if last:
                raise PackageCryptoError(
                    f"数据包已损坏或不完整（文件被截断，或第 {i + 1} 块校验失败）：请重新导出后再导入。") from None
            raise PackageCryptoError(f"数据包已损坏（第 {i + 1} 块校验失败）：文件被改动过，请重新导出后再导入。") from None
        pos += step
        i += 1
    return b"".join(out)
