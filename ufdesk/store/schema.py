"""The database schema, generated from the ledger descriptions in ``ufdesk.domain``.

Every ledger and sub-record table carries the same bookkeeping columns (see ``_meta``):
a UUID that travels between installations, the township, who and when, and the version data
the field-by-field merge needs without trusting any PC clock:

* ``born``     — ``"<installation>:<counter>"`` of the creation;
* ``clock``    — JSON ``{field: "<installation>:<counter>"}`` for fields last written by a
                 later change than the creation (empty for most records);
* ``vv``       — JSON version vector ``{installation: counter}``: every change of this record
                 by each installation that this copy has incorporated;
* ``version``  — local edit counter for optimistic locking (PostgreSQL, several PCs).

Counters come from the installation's own monotonic counter, never from a clock.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..domain import LEDGERS
from ..domain.model import Field

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

_TYPES = {
    "text": lambda f: sa.String(f.max_len or 500),
    "memo": lambda f: sa.Text(),
    "date": lambda f: sa.Date(),
    "int": lambda f: sa.Integer(),
    "decimal": lambda f: sa.Numeric(14, 2, asdecimal=False),
    "bool": lambda f: sa.Boolean(),
    "code": lambda f: sa.String(16),
    "codes": lambda f: sa.String(400),
    "idcard": lambda f: sa.String(18),
    "mobile": lambda f: sa.String(20),
    "phone": lambda f: sa.String(40),
    "uscc": lambda f: sa.String(18),
    "site_reg": lambda f: sa.String(40),
    "ref": lambda f: sa.String(36),
    "village": lambda f: sa.String(12),
}


def column_type(f: Field) -> sa.types.TypeEngine:
    return _TYPES[f.type](f)


def _meta() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("township", sa.String(9), index=True),
        sa.Column("created_at", sa.DateTime),
        sa.Column("created_by", sa.String(60)),
        sa.Column("updated_at", sa.DateTime),
        sa.Column("updated_by", sa.String(60)),
        sa.Column("changed_by", sa.String(32)),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("born", sa.String(48)),
        sa.Column("clock", sa.Text),
        sa.Column("vv", sa.Text),
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
    ]


def sortable_columns(lg) -> list[str]:
    """The columns a ledger's table can be sorted by, each backed by an index."""
    return [f.name for f in lg.fields if f.sortable and f.type != "memo"] + ["sk_stroke", "sk_pinyin"]


def search_index_columns(lg, t) -> list:
    """Search text, the multi-code fields, then the default sort key: a text or category
    filter in the default order reads this index alone."""
    return [t.c.search, *[t.c[f.name] for f in lg.fields if f.type == "codes"],
            t.c.sk_stroke if lg.person else t.c.sk_pinyin]


SEARCH_INDEXES: dict[str, sa.Index] = {}  # ledger → its live search index (store/fastpath hints it)


def search_index(ledger: str) -> sa.Index:
    """The narrow index the free-text and multi-code filters read (see ``_ledger_table``)."""
    return SEARCH_INDEXES[ledger]


def _ledger_table(lg) -> sa.Table:
    cols = _meta()
    for f in lg.fields:
        cols.append(sa.Column(f.name, column_type(f)))
    # Derived columns kept by the store: free text to search, and sort keys for names.
    cols += [
        sa.Column("search", sa.Text),
        sa.Column("sk_stroke", sa.String(400)),
        sa.Column("sk_pinyin", sa.String(400)),
    ]
    t = sa.Table(lg.name, metadata, *cols)
    # Sort indexes cover live records only: listing all ids in any column's order then reads
    # the index alone, never the (wide) rows — 100,000 ids in ~30 ms instead of ~300 ms.
    live = t.c.deleted == sa.false()
    for name in sortable_columns(lg):
        sa.Index(f"ix_{lg.name}_live_{name}", t.c[name], sqlite_where=live)
    # 所属乡镇 order: by township, then by name within it.
    sa.Index(f"ix_{lg.name}_live_township", t.c.township, t.c.sk_stroke if lg.person else t.c.sk_pinyin,
             sqlite_where=live)
    # The free-text and multi-code filters scan this narrow index instead of the table.
    SEARCH_INDEXES[lg.name] = sa.Index(f"ix_{lg.name}_live_search", *search_index_columns(lg, t),
                                       sqlite_where=live)
    if any(f.name == "sort_no" for f in lg.fields):  # 排序号 order: numbered first, then 笔画
        sa.Index(f"ix_{lg.name}_live_order", sa.func.coalesce(t.c.sort_no, 999999999), t.c.sk_stroke,
                 sqlite_where=live)
    return t


def postgresql_partial_indexes() -> None:
    """Give PostgreSQL the partial indexes SQLite has (``WHERE deleted = false``). Done when a
    PostgreSQL engine is made or Alembic runs, not at import: naming a ``postgresql_`` option
    imports SQLAlchemy's PostgreSQL dialect, a tenth of a second of every start on SQLite."""
    for table in metadata.tables.values():
        for index in table.indexes:
            where = index.dialect_options["sqlite"]["where"]
            if where is not None and index.dialect_options["postgresql"]["where"] is None:
                index.dialect_options["postgresql"]["where"] = where


def _sub_table(lg, sub) -> sa.Table:
    cols = _meta()
    cols.append(
        sa.Column(
            "parent",
            sa.String(36),
            sa.ForeignKey(f"{lg.name}.uuid", deferrable=True, initially="DEFERRED"),
            nullable=False,
            index=True,
        )
    )
    for f in sub.fields:
        cols.append(sa.Column(f.name, column_type(f)))
    return sa.Table(sub.name, metadata, *cols)


LEDGER_TABLES: dict[str, sa.Table] = {}
SUB_TABLES: dict[str, sa.Table] = {}
for _lg in LEDGERS.values():
    LEDGER_TABLES[_lg.name] = _ledger_table(_lg)
    for _sub in _lg.subs:
        SUB_TABLES[_sub.name] = _sub_table(_lg, _sub)

# The installation this database belongs to: one row.
installation = sa.Table(
    "installation",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),  # random, made once at set-up
    sa.Column("county_code", sa.String(6), nullable=False),
    sa.Column("county_name", sa.String(60), nullable=False),
    sa.Column("township", sa.String(9)),  # NULL: the county office
    sa.Column("counter", sa.Integer, nullable=False, server_default="0"),  # monotonic change counter
    sa.Column("created_at", sa.DateTime),
)

townships = sa.Table(
    "townships",
    metadata,
    sa.Column("code", sa.String(9), primary_key=True),
    sa.Column("name", sa.String(60), nullable=False),
    sa.Column("sort_no", sa.Integer),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("updated_at", sa.DateTime),
)

villages = sa.Table(
    "villages",
    metadata,
    sa.Column("code", sa.String(12), primary_key=True),
    sa.Column("township", sa.String(9), sa.ForeignKey("townships.code"), nullable=False, index=True),
    sa.Column("name", sa.String(60), nullable=False),
    sa.Column("kind", sa.String(8)),  # 村 / 社区
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("updated_at", sa.DateTime),
)

# A county's edits of the shipped code tables.
code_overrides = sa.Table(
    "code_overrides",
    metadata,
    sa.Column("code_table", sa.String(40), primary_key=True),
    sa.Column("code", sa.String(16), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("aliases", sa.String(400)),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("updated_at", sa.DateTime),
    sa.Column("counter", sa.Integer),  # county's counter at the edit: newer edits win on townships
)

# Settings that belong to the data (unit name, report due day …) travel with the database.
settings = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String(80), primary_key=True),
    sa.Column("value", sa.Text),
)

attachments = sa.Table(
    "attachments",
    metadata,
    *_meta(),
    sa.Column("owner_table", sa.String(40), nullable=False),
    sa.Column("owner", sa.String(36), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),  # photo / reply / evidence / file
    sa.Column("filename", sa.String(255)),
    sa.Column("mime", sa.String(100)),
    sa.Column("size", sa.Integer),
    sa.Column("sha256", sa.String(64)),
    sa.Column("content", sa.LargeBinary),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
    sa.Column("user", sa.String(60)),
    sa.Column("installation", sa.String(32)),
    sa.Column("action", sa.String(30), nullable=False, index=True),  # create/update/delete/import/…
    sa.Column("ledger", sa.String(40)),
    sa.Column("record", sa.String(36), index=True),
    sa.Column("summary", sa.String(400)),
    sa.Column("details", sa.Text),  # JSON: {field: [old, new]}, sensitive values masked
    sa.Column("batch", sa.String(64), index=True),  # import or package id, for undo of a batch
)

# Packages sent and received (filled by the exchange; read by the monthly report and home page).
package_log = sa.Table(
    "package_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("package_id", sa.String(64), nullable=False, index=True),
    sa.Column("direction", sa.String(8), nullable=False),  # sent / received
    sa.Column("peer", sa.String(32)),  # the other installation
    sa.Column("sender", sa.String(32)),
    sa.Column("sender_township", sa.String(9)),  # NULL: the county office
    sa.Column("recipient", sa.String(20)),  # county / a township code
    sa.Column("seq", sa.Integer),
    sa.Column("months", sa.String(200)),  # "2026-10,2026-11"
    sa.Column("exported_at", sa.DateTime),  # the sender's clock: shown, never decided upon
    sa.Column("imported_at", sa.DateTime),  # this PC's clock at import
    sa.Column("records", sa.Integer),
    sa.Column("counts", sa.Text),  # JSON per ledger
    sa.Column("sha256", sa.String(64)),
    sa.Column("status", sa.String(16)),  # ok / undone
    sa.Column("details", sa.Text),
)

# What each peer installation has acknowledged of ours, and what we have of theirs.
peers = sa.Table(
    "peers",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("township", sa.String(9)),
    sa.Column("name", sa.String(60)),
    sa.Column("last_seq_received", sa.Integer, nullable=False, server_default="0"),
    sa.Column("acked_counter", sa.Integer, nullable=False, server_default="0"),  # our counter they hold
    sa.Column("their_counter", sa.Integer, nullable=False, server_default="0"),  # their counter we hold
    sa.Column("last_seen_at", sa.DateTime),
)

conflicts = sa.Table(
    "conflicts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("table_name", sa.String(40), nullable=False),
    sa.Column("record", sa.String(36), nullable=False, index=True),
    sa.Column("field", sa.String(40), nullable=False),  # "_deleted" for an edit against a delete
    sa.Column("mine", sa.Text),  # JSON value
    sa.Column("theirs", sa.Text),  # JSON value
    sa.Column("theirs_dot", sa.String(48)),
    sa.Column("package", sa.String(64)),
    sa.Column("since", sa.DateTime),
    sa.Column("resolved", sa.String(16)),  # NULL open / mine / theirs / edit / superseded
    sa.Column("resolved_at", sa.DateTime),
    sa.Column("resolved_by", sa.String(60)),
)

duplicates = sa.Table(
    "duplicates",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("table_name", sa.String(40), nullable=False),
    sa.Column("record", sa.String(36), nullable=False),
    sa.Column("other", sa.String(36), nullable=False),
    sa.Column("key", sa.String(40)),  # which natural key matched (id_number …); no value kept
    sa.Column("package", sa.String(64)),
    sa.Column("since", sa.DateTime),
    sa.Column("resolved", sa.String(16)),
    sa.Column("resolved_at", sa.DateTime),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.String(60), primary_key=True),
    sa.Column("full_name", sa.String(60)),
    sa.Column("role", sa.String(16), nullable=False),  # admin / editor / viewer
    sa.Column("pw_hash", sa.String(300), nullable=False),
    sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", sa.DateTime),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", sa.DateTime),
    sa.Column("last_login", sa.DateTime),
)

# Remembered column mappings of imported spreadsheets, keyed by their header layout.
import_mappings = sa.Table(
    "import_mappings",
    metadata,
    sa.Column("ledger", sa.String(40), primary_key=True),
    sa.Column("header_key", sa.String(64), primary_key=True),
    sa.Column("mapping", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime),
)

ALL_RECORD_TABLES: dict[str, sa.Table] = {**LEDGER_TABLES, **SUB_TABLES, "attachments": attachments}

# Rows an imported package changed (exchange): the before-state for ``package undo`` and the
# local counter of the import, so the change is passed on in the next packages to other peers.
package_changes = sa.Table(
    "package_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("package_id", sa.String(64), nullable=False, index=True),
    sa.Column("counter", sa.Integer, nullable=False, index=True),  # this installation's counter at import
    sa.Column("table_name", sa.String(40), nullable=False),
    sa.Column("uuid", sa.String(36), nullable=False, index=True),
    sa.Column("before", sa.Text),  # JSON of the row before the import; NULL: the import created it
    sa.Column("after_version", sa.Integer),  # the row's version right after the import
)

# 考核评价: the rubric of each year (copied from data/evaluation_rubric.csv the first time a
# year is scored or edited, so that editing next year's never changes a past year's scores),
# and the county's manual 加分/扣分 with their reasons.
evaluation_rubrics = sa.Table(
    "evaluation_rubrics",
    metadata,
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("sort_no", sa.Integer, nullable=False),
    sa.Column("label", sa.String(100), nullable=False),
    sa.Column("rule", sa.String(40), nullable=False),  # one of ufdesk.services.evaluation.RULES
    sa.Column("points", sa.Numeric(8, 2, asdecimal=False), nullable=False),
    sa.Column("params", sa.Text),  # JSON: the rule's parameters (target, fields …)
    sa.Column("updated_at", sa.DateTime),
)

evaluation_adjustments = sa.Table(
    "evaluation_adjustments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("year", sa.Integer, nullable=False, index=True),
    sa.Column("quarter", sa.Integer),  # NULL: the whole year
    sa.Column("township", sa.String(9), nullable=False),
    sa.Column("points", sa.Numeric(8, 2, asdecimal=False), nullable=False),
    sa.Column("reason", sa.String(400), nullable=False),
    sa.Column("at", sa.DateTime),
    sa.Column("user", sa.String(60)),
)

# Keys of installations (exchange/trust.py): this installation's own row holds its private keys
# locked by the exchange passphrase (``secret``); peers' rows hold the county's certificate.
trust_keys = sa.Table(
    "trust_keys",
    metadata,
    sa.Column("installation", sa.String(32), primary_key=True),
    sa.Column("township", sa.String(9)),  # NULL: the county office
    sa.Column("name", sa.String(60)),
    sa.Column("sign_pub", sa.String(64), nullable=False),  # Ed25519, base64
    sa.Column("age_pub", sa.String(100), nullable=False),  # age X25519 recipient "age1…"
    sa.Column("status", sa.String(12), nullable=False),  # pending / enrolled / revoked
    sa.Column("cert", sa.Text),  # the certified body (JSON) …
    sa.Column("signature", sa.String(100)),  # … and the county's Ed25519 signature of it, base64
    sa.Column("secret", sa.Text),  # own row only: private keys sealed with the exchange passphrase
    sa.Column("updated_at", sa.DateTime),
)

# Issued (定稿) editions of reports: the files as issued and their figures, kept as official
# records. Not a record table: never sent in packages (a county's summary names people of
# every township), kept by a purge.
issued_reports = sa.Table(
    "issued_reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("report", sa.String(40), nullable=False),  # template name: monthly
    sa.Column("period", sa.String(20), nullable=False),  # "2026-06"
    sa.Column("edition", sa.Integer, nullable=False),  # 第N版, from 1
    sa.Column("issued_at", sa.DateTime, nullable=False),
    sa.Column("issued_by", sa.String(60)),
    sa.Column("pdf", sa.LargeBinary),
    sa.Column("docx", sa.LargeBinary),
    sa.Column("sha256", sa.String(64)),  # of the PDF
    sa.Column("figures", sa.Text),  # JSON {label: value}: what the dialog compares between editions
    sa.Column("named", sa.Text),  # JSON [uuid]: people the report names (for purge's count)
    sa.UniqueConstraint("report", "period", "edition"),
)
