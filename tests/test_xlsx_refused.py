"""Refused means untouched (issue 16): a refused, cancelled or failed import leaves every table
byte-identical but for one audit row saying so; the column mapping is remembered only when an
import is written. Checked with a hash of every table's every row."""

from __future__ import annotations

import hashlib

import pytest
from xlsx_office import roster_rows, write_openpyxl

from ufdesk.exchange.xlsx_import import ImportRefused, import_file, open_source, run_import


def table_hashes(store) -> dict[str, str]:
    """Every table's rows (and the schema), hashed; the audit table left out, and its own
    line of sqlite_sequence."""
    out = {}
    with store.connect() as conn:
        tables = conn.exec_driver_sql("select name, sql from sqlite_master order by name").all()
        for name, sql in tables:
            out["schema:" + name] = hashlib.sha1((sql or "").encode()).hexdigest()
        for name, _ in tables:
            if name == "audit" or not conn.exec_driver_sql(
                    "select 1 from sqlite_master where type='table' and name=?", (name,)).first():
                continue
            where = " where name != 'audit'" if name == "sqlite_sequence" else ""
            rows = conn.exec_driver_sql(f'select * from "{name}"{where} order by 1').all()
            out[name] = hashlib.sha1(repr(rows).encode()).hexdigest()
    return out


def audit_rows(store) -> list[tuple[str, str]]:
    with store.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql("select action, summary from audit order by id").all()]


def _prepared(services, tmp_path):
    """A county with people in it already, and a mapping the clerk chose earlier."""
    clean = write_openpyxl(tmp_path / "clean.xlsx", roster_rows()[:8])
    assert import_file(services, "representatives", clean).new == 4
    return clean


def test_a_refused_import_changes_nothing_but_one_audit_row(services, tmp_path):
    _prepared(services, tmp_path)
    rows = roster_rows()
    rows[2] = [*rows[2][:-1], "个人简历"]  # a new header layout: its mapping must not be remembered
    bad = write_openpyxl(tmp_path / "bad.xlsx", rows)
    before, audit_before = table_hashes(services.store), audit_rows(services.store)
    report = import_file(services, "representatives", bad)
    assert not report.written and report.problems
    assert table_hashes(services.store) == before
    added = audit_rows(services.store)[len(audit_before):]
    assert added == [("import_refused", "导入代表人士：bad.xlsx（花名册），12行中发现问题8处，未写入")]
    assert not open_source(bad, "representatives", store=services.store).remembered
    fixed = write_openpyxl(tmp_path / "fixed.xlsx", rows[:8])  # the same layout, good rows: now remembered
    assert import_file(services, "representatives", fixed).written
    assert open_source(bad, "representatives", store=services.store).remembered


def test_a_missing_column_refusal_and_a_cancel_change_nothing_but_one_audit_row_each(services, tmp_path,
                                                                                      monkeypatch):
    import ufdesk.exchange.parallel_check as P

    _prepared(services, tmp_path)
    before, n_audit = table_hashes(services.store), len(audit_rows(services.store))
    noname = write_openpyxl(tmp_path / "noname.xlsx", [[c for i, c in enumerate(r) if i != 1] for r in roster_rows()[:6]])
    with pytest.raises(ImportRefused):
        import_file(services, "representatives", noname)
    rows = roster_rows()[:3] + [[i, f"人员{i}", "男", "汉", "1975.03", None, "民盟", "本科", "单位", "城关", "党外知识分子",
                                 None, None] for i in range(1, 31)]
    many = write_openpyxl(tmp_path / "many.xlsx", rows)
    monkeypatch.setattr(P, "CHUNK_ROWS", 10)
    gen = run_import(services, open_source(many, "representatives", store=services.store))
    for done, _total, _ in gen:
        if done >= 20:  # two chunks checked and written inside the transaction
            gen.close()
            break
    assert table_hashes(services.store) == before
    assert audit_rows(services.store)[n_audit:] == [
        ("import_refused", "导入代表人士：noname.xlsx（花名册），缺少必填的列，未写入"),
        ("import_refused", "导入代表人士：many.xlsx（花名册），已取消，未写入"),
    ]
    assert import_file(services, "representatives", many).new == 30


def test_a_dry_run_changes_nothing_at_all(services, tmp_path):
    clean = _prepared(services, tmp_path)
    before, audit_before = table_hashes(services.store), audit_rows(services.store)
    assert import_file(services, "representatives", clean, dry_run=True).existing == 4
    assert table_hashes(services.store) == before and audit_rows(services.store) == audit_before


FORMULA_LIKE = {"employer": "=HYPERLINK(\"http://example.com\",\"点我\")", "position": "+86 主任",
                "address": "-1 号楼", "notes": "@所有人 =1+1"}


def test_text_that_looks_like_a_formula_is_exported_as_text_and_comes_back_unchanged(services, tmp_path):
    """The ledger export and the rejects workbook store such text as text cells with the
    quote-prefix style (no added apostrophe), and it round-trips exactly."""
    from openpyxl import load_workbook

    from ufdesk.exchange.xlsx_export import export_xlsx
    from ufdesk.exchange.xlsx_import import drain

    rec = services.create("representatives", {"name": "张三", **FORMULA_LIKE})
    out = tmp_path / "导出.xlsx"
    drain(export_xlsx(services, "representatives", out))
    ws = load_workbook(out)["代表人士"]
    labels = {c.value: c.column for c in ws[1]}
    for name, text in FORMULA_LIKE.items():
        label = services_label(name)
        cell = ws.cell(row=2, column=labels[label])
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True), name
    again = import_file(services, "representatives", out, update=True)
    assert (again.existing, again.updated) == (1, 0)  # nothing changed: the same text came back
    got = services.find_by("representatives")[0]
    assert {k: got[k] for k in FORMULA_LIKE} == FORMULA_LIKE and got["uuid"] == rec.uuid

    # the rejects workbook: a bad row's cells come back as they were typed
    bad = tmp_path / "bad.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名", "工作单位", "身份证号"])
    wb.active.append(["李四", "=1+1", "123"])
    wb.active["B2"].data_type = "s"  # typed as text in the source (Excel shows =1+1)
    wb.save(bad)
    rejects = tmp_path / "rejects.xlsx"
    report = import_file(services, "representatives", bad, skip_invalid=True, rejects=rejects)
    assert report.rejected == 1
    cell = load_workbook(rejects).active["B2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)


def test_the_audit_log_export_uses_the_same_writer(tmp_path):
    """A tab-led or @-led text through the one writer every xlsx uses (audit log, templates)."""
    from openpyxl import Workbook, load_workbook

    from ufdesk.xlsx_cells import safe_row, set_value

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志")
    ws.append(safe_row(ws, ["\t缩进", "@张三", "普通", 5]))
    wb.save(tmp_path / "a.xlsx")
    got = [(c.value, c.data_type, c.quotePrefix) for c in load_workbook(tmp_path / "a.xlsx").active[1]]
    assert got == [("\t缩进", "s", True), ("@张三", "s", True), ("普通", "s", False), (5, "n", False)]
    wb = Workbook()
    set_value(wb.active["A1"], "=SUM(1,2)")
    wb.save(tmp_path / "b.xlsx")
    cell = load_workbook(tmp_path / "b.xlsx").active["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=SUM(1,2)", "s", True)


def services_label(name: str) -> str:
    from ufdesk.domain import ledger

    return ledger("representatives").field(name).label


def test_the_default_masked_export_imports_back_as_a_no_op(services, tmp_path):
    """Masked ID and phone numbers match nothing to change: the stored numbers stay, never
    overwritten with stars; into an empty county the people come without those numbers."""
    from xlsx_office import ID2, ID3

    from ufdesk.exchange.xlsx_export import export_xlsx
    from ufdesk.exchange.xlsx_import import drain

    services.create("representatives", {"name": "李四", "id_number": ID2, "mobile": "13900001111"})
    services.create("representatives", {"name": "王五", "id_number": ID3, "mobile": "13700001111"})
    out = tmp_path / "默认导出.xlsx"
    drain(export_xlsx(services, "representatives", out))  # masked: the default
    before = table_hashes(services.store)
    report = import_file(services, "representatives", out, update=True)
    assert report.ok and report.written and (report.new, report.existing, report.updated) == (0, 2, 0)
    assert "“身份证号”中部分隐藏的号码（如默认导出的）不导入，已有记录的号码保持不变（共2行）" in report.notes
    stored = {r["name"]: (r["id_number"], r["mobile"]) for r in services.find_by("representatives")}
    assert stored == {"李四": (ID2, "13900001111"), "王五": (ID3, "13700001111")}
    changed = {k for k, v in table_hashes(services.store).items() if before.get(k) != v}
    # no record touched: only the remembered mapping and the transaction counter of a written import
    assert changed <= {"import_mappings", "installation"}, changed
