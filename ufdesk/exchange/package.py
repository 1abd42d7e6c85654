"""The transfer package: a zip of a manifest and JSON-lines members, sealed by ``pkgcrypt``.

Members::

    manifest.json          format/app/schema versions, sender, recipient, package id, seq,
                           counter, months, row counts, sha256 of every other member, acks
    records/<table>.json   {"columns": [...], "rows": [[...], ...]} — one array per row
    records/<table>.keys.json   the same rows' uuid/born/clock/vv/deleted only, in the same
                           order: a re-import decides "unchanged" without parsing whole rows
    records/<table>.pending.json   {uuid: {field: [dots]}} still in the sender's conflict queue
    places.json            townships, villages, code-table edits (from the county only)

Values are JSON: dates and datetimes as ISO text, binary (attachments) as base64; the reader
turns them back by the column's type. The zip's sha256 (``digest``) names the package's bytes:
the same id with other bytes is refused.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass

import sqlalchemy as sa

from ..domain.errors import UfError
from ..store import records as R
from ..store.schema import ALL_RECORD_TABLES, LEDGER_TABLES
from . import pkgcrypt

FORMAT = 1
SUFFIX = ".ufpkg"
META = ["born", "clock", "vv", "deleted", "created_at", "created_by", "updated_at", "updated_by", "changed_by"]
DERIVED = ["search", "sk_stroke", "sk_pinyin"]
KEY_COLUMNS = ("uuid", "born", "clock", "vv", "deleted")
PENDING = "_pending"  # {field: [dots]} of the sender's open conflicts on the row (see merge)


_REVISIONS: dict[str, object] = {}


def schema_head(engine) -> str:
    """The Alembic head this program writes (read once: loading the scripts is slow)."""
    if "head" not in _REVISIONS:
        from ..store.engine import head_revision

        _REVISIONS["head"] = head_revision(engine)
    return _REVISIONS["head"]


def schema_known(engine) -> set[str]:
    if "known" not in _REVISIONS:
        from ..store.engine import known_revisions

        _REVISIONS["known"] = known_revisions(engine)
    return _REVISIONS["known"]


class PackageError(UfError):
    """A package refused or unreadable; the message says why and what to do."""


def export_columns(table_name: str) -> list[str]:
    cols = ["uuid", *R.merge_columns(table_name), *META]
    if table_name in LEDGER_TABLES:
        cols += DERIVED
    return cols


def _enc(v):
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(v)).decode("ascii")
    raise TypeError(type(v).__name__)


def dumps(v) -> str:
    return json.dumps(v, default=_enc, ensure_ascii=False, separators=(",", ":"))


def _b64(v):
    return None if v is None else base64.b64decode(v)


def _decoder(col: sa.Column):
    t = col.type
    if isinstance(t, sa.DateTime):
        return lambda v: None if v is None else dt.datetime.fromisoformat(v)
    if isinstance(t, sa.Date):
        return lambda v: None if v is None else dt.date.fromisoformat(v)
    if isinstance(t, sa.LargeBinary):
        return _b64
    if isinstance(t, sa.Boolean):
        return lambda v: None if v is None else bool(v)
    return None


_DECODERS: dict[str, dict] = {}


def decoders(table_name: str) -> dict:
    """{column: function} for the columns whose JSON form differs from the Python value."""
    if table_name not in _DECODERS:
        t = ALL_RECORD_TABLES[table_name]
        _DECODERS[table_name] = {c.name: d for c in t.columns if (d := _decoder(c)) is not None}
    return _DECODERS[table_name]


def binary_columns(table_name: str) -> set[str]:
    return {c for c, fn in decoders(table_name).items() if fn is _b64}


def datetime_columns(table_name: str) -> set[str]:
    return {c.name for c in ALL_RECORD_TABLES[table_name].columns if isinstance(c.type, sa.DateTime)}


def decode_row(table_name: str, row: dict) -> dict:
    for name, fn in decoders(table_name).items():
        if name in row:
            row[name] = fn(row[name])
    return row


def encode_rows(table_name: str, columns: list[str], rows: list[list]) -> bytes:
    """One member: rows as arrays in ``columns`` order (one C-speed dump, not one per row)."""
    binary = [i for i, c in enumerate(columns) if decoders(table_name).get(c) is _b64]
    if binary:
        rows = [list(r) for r in rows]
        for r in rows:
            for i in binary:
                if isinstance(r[i], (bytes, bytearray, memoryview)):
                    r[i] = base64.b64encode(bytes(r[i])).decode("ascii")
    return json.dumps({"columns": columns, "rows": rows}, default=_enc, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def encode_keys(columns: list[str], rows: list[list]) -> bytes:
    pick = [columns.index(c) for c in KEY_COLUMNS]
    return json.dumps({"columns": list(KEY_COLUMNS), "rows": [[r[i] for i in pick] for r in rows]},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def read_table(table_name: str, data: bytes) -> tuple[list[str], list[list]]:
    """``(columns, rows as arrays)`` of a records member, still JSON-typed (dates as text)."""
    doc = json.loads(data)
    columns = doc["columns"]
    known = set(c.name for c in ALL_RECORD_TABLES[table_name].columns) | {PENDING}
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise PackageError(f"数据包含本程序不认识的字段（{table_name}.{unknown[0]}），请先升级 ufdesk 后再导入。")
    if "uuid" not in columns or any(len(r) != len(columns) for r in doc["rows"]):
        raise PackageError(f"数据包中 {table_name} 的数据格式不对，请重新导出。")
    return columns, doc["rows"]


@dataclass
class Package:
    manifest: dict
    members: dict[str, bytes]
    digest: str  # sha256 of the zip (the package's content)
    signature: dict | None = None  # signature.json: the sender's Ed25519 signature (exchange/trust)
    manifest_raw: bytes = b""  # manifest.json as stored: what the signature covers
    addressed: bool = False  # encrypted to the recipients' age keys as well as the passphrase

    @property
    def id(self) -> str:
        return self.manifest["package_id"]

    def table(self, table_name: str) -> tuple[list[str], list[list]]:
        """(columns, rows); rows with open conflicts at the sender carry them in ``_pending``."""
        data = self.members.get(f"records/{table_name}.json")
        if not data:
            return [], []
        columns, rows = read_table(table_name, data)
        pending = self.members.get(f"records/{table_name}.pending.json")
        if pending and PENDING not in columns:
            waiting = json.loads(pending)
            iu = columns.index("uuid")
            rows = [[*r, waiting.get(r[iu])] for r in rows]
            columns = [*columns, PENDING]
        return columns, rows

    def keys(self, table_name: str) -> tuple[list[str], list[list]]:
        """(columns, rows) of uuid, born, clock, vv, deleted — a small member read first."""
        data = self.members.get(f"records/{table_name}.keys.json")
        if data is None:
            columns, rows = self.table(table_name)
            if not rows:
                return [], []
            pick = [columns.index(c) for c in KEY_COLUMNS]
            return list(KEY_COLUMNS), [[r[i] for i in pick] for r in rows]
        doc = json.loads(data)
        if doc.get("columns") != list(KEY_COLUMNS):
            raise PackageError(f"数据包中 {table_name} 的索引格式不对，请重新导出。")
        return doc["columns"], doc["rows"]

    def rows(self, table_name: str) -> list[dict]:
        columns, rows = self.table(table_name)
        return [dict(zip(columns, r, strict=True)) for r in rows]

    def places(self) -> dict | None:
        data = self.members.get("places.json")
        return json.loads(data) if data else None


SIGNATURE = "signature.json"  # beside the manifest, not listed in it (it signs the manifest)
AGE_MAGIC = b"age-encryption.org/"


def signed_message(package_id: str, sender: str, recipients: list[str], manifest_sha256: str) -> bytes:
    """What the sender signs: package id, sender, recipients and the manifest's hash (the
    manifest holds every member's hash, so this covers the whole package)."""
    return b"ufdesk-package-signature-1\n" + json.dumps(
        [package_id, sender, sorted(recipients), manifest_sha256], ensure_ascii=False).encode("utf-8")


def build_zip(manifest: dict, members: dict[str, bytes], signer=None) -> bytes:
    """The zip; ``signer(message) -> base64 signature`` adds ``signature.json``."""
    manifest = dict(manifest)
    manifest["members"] = {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)} for name, data in members.items()
    }
    raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("manifest.json", raw)
        if signer is not None:
            recipients = manifest.get("recipients") or []
            digest = hashlib.sha256(raw).hexdigest()
            sig = {"package_id": manifest["package_id"], "sender": manifest["sender"], "recipients": recipients,
                   "manifest_sha256": digest,
                   "signature": signer(signed_message(manifest["package_id"], manifest["sender"], recipients, digest))}
            z.writestr(SIGNATURE, json.dumps(sig))
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def seal(zip_bytes: bytes, passphrase: str, recipients: list[str] = ()) -> bytes:
    """Encrypt with the exchange passphrase; with ``recipients`` (age X25519 keys "age1…") the
    zip is first encrypted to them, so only those installations can read it."""
    if recipients:
        import pyrage
        from pyrage import x25519

        zip_bytes = pyrage.encrypt(zip_bytes, [x25519.Recipient.from_str(r) for r in recipients])
    return pkgcrypt.encrypt(zip_bytes, passphrase)


MAX_UNPACKED = 4 << 30  # more than any county's records and attachments
MAX_RATIO = 200  # records pack about 5–10 to 1, photos about 1 to 1; a zip bomb about 1000 to 1


STREAM_FLOOR = 32 << 20  # below this a member may compress as well as it likes
STEP = 1 << 20


def _bomb(total: int) -> PackageError:
    return PackageError(f"数据包解压后超过 {max(total, 1) >> 20} MB，与其大小极不相称：可能已损坏或是恶意构造的，已拒收。")


def _unpack(plain: bytes, info: zipfile.ZipInfo, budget: list[int]) -> bytes:
    """One member, inflated a megabyte at a time. ``budget`` = [bytes out, compressed bytes in]
    over the whole package: refused as soon as the output passes 32 MB at more than
    ``MAX_RATIO`` times the compressed bytes consumed so far, or passes ``MAX_UNPACKED`` —
    whatever sizes the zip declares, and however many members the bomb is spread over."""
    import struct

    head = plain[info.header_offset:info.header_offset + 30]
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("local header")
    n, e = struct.unpack("<HH", head[26:30])
    start = info.header_offset + 30 + n + e
    raw = memoryview(plain)[start:start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        out = bytes(raw)
        budget[0] += len(out)
        budget[1] += len(out)
        if budget[0] > MAX_UNPACKED:
            raise _bomb(budget[0])
        return out
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise NotImplementedError("compression")
    d = zlib.decompressobj(-15)
    parts, size, used = [], 0, 0
    while True:
        chunk = d.unconsumed_tail or bytes(raw[used:used + (64 << 10)])
        if not d.unconsumed_tail:
            used += len(chunk)
            budget[1] += len(chunk)
        piece = d.decompress(chunk, STEP)
        size += len(piece)
        budget[0] += len(piece)
        if budget[0] > MAX_UNPACKED or (budget[0] > STREAM_FLOOR and budget[0] > MAX_RATIO * budget[1]):
            raise _bomb(budget[0])
        parts.append(piece)
        if d.eof or (not chunk and not piece):
            break
    out = b"".join(parts)
    if zlib.crc32(out) != info.CRC or len(out) != info.file_size:
        raise zipfile.BadZipFile("crc")
    return out


def _check_unpacked(z: zipfile.ZipFile) -> None:
    """Refuse a zip bomb by the sizes the zip declares, before anything is unpacked."""
    infos = z.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED or any(i.file_size > (64 << 20) and i.file_size > MAX_RATIO * max(i.compress_size, 1)
                                   for i in infos):
        raise PackageError(f"数据包解压后有 {total >> 20} MB，与其大小极不相称：可能已损坏或是恶意构造的，已拒收。")


def _unaddress(plain: bytes, identities) -> bytes:
    import pyrage

    if not identities:
        raise PackageError("该数据包只有已开通的指定接收方才能打开，本机没有开通（或没有密钥）："
                           "请先完成开通（数据交换 → 开通，或 ufdesk enrol）。")
    try:
        return pyrage.decrypt(plain, list(identities))
    except pyrage.DecryptError as exc:
        raise PackageError("该数据包不是发给本机的（加密给了其他安装），本机无法打开，已拒收。") from exc


def open_bytes(data: bytes, passphrase: str, identities=()) -> Package:
    """Decrypt (passphrase, then this installation's age key if the package is addressed),
    unzip and verify every member against the manifest's hashes. The signature is checked
    against the sender's certified key at import (exchange/package_trust)."""
    plain = pkgcrypt.decrypt(data, passphrase)
    addressed = plain.startswith(AGE_MAGIC)
    if addressed:
        plain = _unaddress(plain, identities)
    try:
        with zipfile.ZipFile(io.BytesIO(plain)) as z:
            _check_unpacked(z)
            budget = [0, 0]
            found = {i.filename: _unpack(plain, i, budget) for i in z.infolist()}
            raw = found.pop("manifest.json")
            manifest = json.loads(raw)
            signature = json.loads(found.pop(SIGNATURE)) if SIGNATURE in found else None
            members = found
    except PackageError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, zlib.error, EOFError, NotImplementedError, RuntimeError,
            OSError) as exc:  # a damaged or odd zip inside a correctly sealed package
        raise PackageError("数据包内容无法读取（缺少清单或格式不对），请重新导出。") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format"), int):
        raise PackageError("数据包缺少清单信息，请重新导出。")
    if manifest["format"] > FORMAT:
        raise PackageError(f"数据包格式为第 {manifest['format']} 版，比本程序新：请先升级 ufdesk 后再导入。")
    listed = manifest.get("members") or {}
    if not isinstance(listed, dict) or set(listed) != set(members):
        raise PackageError("数据包内容与清单不符（文件缺失或多余），请重新导出。")
    for name, data in members.items():
        entry = listed[name]
        if not isinstance(entry, dict) or hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            raise PackageError(f"数据包中的 {name} 校验不符，请重新导出。")
    if signature is not None and not isinstance(signature, dict):
        raise PackageError("数据包的签名格式不对，请重新导出。")
    return Package(manifest, members, hashlib.sha256(plain).hexdigest(), signature, raw, addressed)
