"""Every report built from the demo county: titles, headings and figures as the user reads them
(pdftotext), every font embedded (pdffonts), every page renders (pdftoppm)."""

from __future__ import annotations

import datetime as dt

import pytest
from reports_helpers import flat, fonts, pages, render_pages, sql, table_line, text

from ufdesk import reports
from ufdesk.services import Services, stats

TITLES = {
    "monthly": "统战工作月度汇总", "roster": "党外代表人士花名册", "structure": "党外代表人士结构分析",
    "person": "党外代表人士信息登记表", "sites": "宗教活动场所基本情况表", "proposals": "提案建议办理情况统计表",
    "cadres": "统战干部配备情况表", "chambers": "商会社团一览表",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from ufdesk.services.demo import build_demo

    path = tmp_path_factory.mktemp("reports") / "demo.db"
    store = build_demo(path, size=500)
    yield path, store
    store.close()


@pytest.fixture(scope="module")
def svc(demo):
    return Services(demo[1], user="测试员")


def build(svc, tmp_path, name, **params):
    fmt = "docx" if params.pop("fmt", "pdf") == "docx" else "pdf"
    out = tmp_path / f"{name}.{fmt}"
    out.write_bytes(reports.render(svc, name, params, fmt))
    return out


def a_person(demo) -> str:
    return sql(demo[0], "SELECT uuid FROM representatives WHERE deleted = 0 AND status = '1' ORDER BY id LIMIT 1")[0][0]


@pytest.mark.parametrize("name", list(TITLES))
def test_every_template_builds_with_fonts_embedded_and_pages_rendering(demo, svc, tmp_path, name):
    pdf = build(svc, tmp_path, name, id=a_person(demo))
    txt = flat(pdf)
    assert TITLES[name] in txt
    assert "中共青岚湖县委统战部" in txt
    used = fonts(pdf)
    assert used, "a report without fonts has no text"
    assert all(emb == "yes" for _n, _t, emb in used), used
    n = pages(pdf)
    assert len(render_pages(pdf, tmp_path / "png")) == n
    assert "— 1 —" in text(pdf)
    if name == "person":
        assert n == 1


def test_monthly_figures_equal_the_ledgers(demo, svc, tmp_path):
    db = demo[0]
    month = stats.last_months(1)[0]
    start, end = stats.month_range(month)
    pdf = build(svc, tmp_path, "monthly", month=month)
    txt, lay = flat(pdf), text(pdf)
    (n_act, heads), = sql(db, "SELECT count(*), coalesce(sum(headcount), 0) FROM activities WHERE deleted = 0 "
                              "AND held_on BETWEEN ? AND ?", start.isoformat(), end.isoformat())
    assert n_act > 0, "the demo county should have activities last month"
    assert f"全县共开展统战活动{n_act}次，参加{heads}人次" in txt
    for kind, n in sql(db, "SELECT c.kind, count(*) FROM activities c WHERE deleted = 0 AND held_on BETWEEN ? AND ? "
                           "GROUP BY c.kind", start.isoformat(), end.isoformat()):
        name = svc.store.codebook().name_of("activity_type", kind)
        assert table_line(lay, name)[1] == str(n)
    (added,), = sql(db, "SELECT count(*) FROM representatives WHERE deleted = 0 AND recognized_on BETWEEN ? AND ?",
                    start.isoformat(), end.isoformat())
    (left,), = sql(db, "SELECT count(*) FROM representatives WHERE deleted = 0 AND left_on BETWEEN ? AND ?",
                   start.isoformat(), end.isoformat())
    assert f"本月新认定{added}人，退出{left}人" in txt
    (submitted,), = sql(db, "SELECT count(*) FROM proposals WHERE deleted = 0 AND submitted_on BETWEEN ? AND ?",
                        start.isoformat(), end.isoformat())
    assert f"提交提案建议{submitted}件" in txt
    (no_committee,), = sql(db, """SELECT count(*) FROM townships t WHERE active AND NOT EXISTS (
        SELECT 1 FROM cadres c WHERE c.deleted = 0 AND c.township = t.code AND c.post = '02'
        AND (c.left_on IS NULL OR c.left_on > ?) AND (c.appointed_on IS NULL OR c.appointed_on <= ?))""",
                            end.isoformat(), end.isoformat())
    assert f"{no_committee}个乡镇（街道）缺统战委员" in txt
    for heading in ("一、总体情况", "二、活动开展情况", "三、党外代表人士变动", "四、提案建议办理情况",
                    "五、宗教活动场所管理", "六、统战干部队伍", "七、各乡镇（街道）数据报送情况", "八、重点任务推进情况",
                    "九、本月工作小结"):
        assert heading in txt


def test_monthly_reporting_table_reads_the_package_log(demo, tmp_path):
    from ufdesk.services.demo import build_demo
    from ufdesk.store.schema import package_log

    store = build_demo(tmp_path / "fresh.db", size=50)
    with store.engine.begin() as conn:  # the demo's own packages set aside: this test writes the log itself
        conn.execute(package_log.delete())
    svc = Services(store, user="测试员")
    month = stats.last_months(1)[0]
    start, _end = stats.month_range(month)
    towns = store.townships()
    lay = text(build(svc, tmp_path, "monthly", month=month))
    assert f"{len(towns)}个乡镇（街道）中，已报送0个" in flat_of(lay)
    assert all(table_line_containing(lay, name).count("未报送") == 1 for _c, name in towns)
    code, name = towns[1]
    with store.engine.begin() as conn:
        conn.execute(package_log.insert().values(
            package_id="p1", direction="received", sender_township=code, recipient="county",
            exported_at=dt.datetime.combine(start.replace(day=20), dt.time(9, 30)),
            imported_at=dt.datetime.combine(start.replace(day=21), dt.time(10, 0)), records=37, status="ok"))
    lay = text(build(svc, tmp_path, "monthly", month=month))
    assert "已报送1个，未报送" in flat_of(lay)
    row = table_line_containing(lay, name)
    assert "已报送" in row and "37" in row and "按时" in row
    store.close()


def flat_of(s: str) -> str:
    return "".join(s.split())


def table_line_containing(lay: str, word: str) -> str:
    return next(line for line in lay.splitlines() if f" {word} " in f" {line} " and "报送" in line)


def test_monthly_with_summary_and_as_word(demo, svc, tmp_path):
    from docx import Document

    pdf = build(svc, tmp_path, "monthly", summary="本月各项工作有序推进。")
    assert "本月各项工作有序推进。" in flat(pdf)
    doc = Document(build(svc, tmp_path, "monthly", summary="本月各项工作有序推进。", fmt="docx"))
    paras = [p.text for p in doc.paragraphs]
    assert "统战工作月度汇总" in paras
    assert "七、各乡镇（街道）数据报送情况" in paras and "本月各项工作有序推进。" in paras
    assert len(doc.tables) >= 5


def test_roster_lists_every_present_person_with_the_header_on_every_page(demo, svc, tmp_path):
    db = demo[0]
    pdf = build(svc, tmp_path, "roster")
    lay = text(pdf)
    (present,), = sql(db, "SELECT count(*) FROM representatives WHERE deleted = 0 AND status = '1'")
    assert f"共{present}人" in flat_of(lay)
    assert lay.count("工作单位及职务") == pages(pdf) > 1
    numbers = [int(line.split()[0]) for line in lay.splitlines() if line.strip() and line.split()[0].isdigit()
               and len(line.split()) > 5]
    assert numbers == list(range(1, present + 1))


def test_roster_filtered_by_township_and_kind(demo, svc, tmp_path):
    db = demo[0]
    code, name = svc.store.townships()[3]
    pdf = build(svc, tmp_path, "roster", township=name, kind="非公有制经济人士")
    expected = {n for (n,) in sql(db, "SELECT name FROM representatives WHERE deleted = 0 AND status = '1' "
                                      "AND township = ? AND kinds LIKE '%,06,%'", code)}
    assert expected
    lay = text(pdf)
    listed = {line.split()[1] for line in lay.splitlines() if line.strip()[:1].isdigit() and len(line.split()) > 5}
    assert listed == expected
    today = dt.date.today()
    assert (f"（{name}，非公有制经济人士，按姓氏笔画排列，截至{today.year}年{today.month}月{today.day}日，"
            f"共{len(expected)}人）") in flat_of(lay)


def test_roster_masks_ids_unless_allowed(demo, tmp_path):
    (id_number,), = sql(demo[0], "SELECT id_number FROM representatives WHERE deleted = 0 AND status = '1' "
                                 "AND id_number IS NOT NULL ORDER BY id LIMIT 1")[0:1]
    viewer = Services(demo[1], user="访客", role="viewer")
    admin = Services(demo[1], user="管理员", role="admin")
    cols = "姓名,身份证号"
    assert id_number not in text(build(viewer, tmp_path, "roster", columns=cols))
    assert id_number[:4] + "*" * 10 + id_number[-4:] in text(build(viewer, tmp_path, "roster", columns=cols))
    assert id_number not in text(build(admin, tmp_path, "roster", columns=cols))  # full only when asked for
    assert id_number in text(build(admin, tmp_path, "roster", columns=cols, full_ids=True))
    from ufdesk.domain.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        build(viewer, tmp_path, "roster", columns=cols, full_ids=True)


def test_structure_counts_equal_the_ledger(demo, svc, tmp_path):
    db = demo[0]
    lay = text(build(svc, tmp_path, "structure"))
    (total,), = sql(db, "SELECT count(*) FROM representatives WHERE deleted = 0 AND status = '1'")
    assert f"在册党外代表人士共{total}人" in flat_of(lay)
    shown = []
    for party, n in sql(db, "SELECT party, count(*) FROM representatives WHERE deleted = 0 AND status = '1' "
                            "AND party IS NOT NULL GROUP BY party"):
        cells = table_line(lay, svc.store.codebook().name_of("party", party))
        assert cells[1] == str(n) and abs(float(cells[2].rstrip("%")) - n * 100 / total) <= 0.1
        shown.append(float(cells[2].rstrip("%")))
    assert round(sum(shown), 1) == 100.0  # largest remainder: the shares add up to the 合计's 100.0%
    (women,), = sql(db, "SELECT count(*) FROM representatives WHERE deleted = 0 AND status = '1' AND gender = '2'")
    assert table_line(lay, "女")[1] == str(women)
    today = dt.date.today().isoformat()  # people holding a current county term, once each
    (cppcc_county,), = sql(db, "SELECT count(DISTINCT a.parent) FROM rep_arrangements a JOIN representatives r "
                               "ON r.uuid = a.parent WHERE a.deleted = 0 AND r.deleted = 0 AND r.status = '1' "
                               "AND a.body = '2' AND a.level = '4' AND (a.elected_on IS NULL OR a.elected_on <= ?) "
                               "AND (a.term_end IS NULL OR a.term_end > ?)", today, today)
    assert table_line(lay, "政协委员")[4] == str(cppcc_county)
    for heading in ("一、人士类别", "二、政治面貌", "三、年龄结构", "四、学历结构", "五、性别结构", "六、民族结构", "七、政治安排"):
        assert heading in lay


def test_person_form_with_and_without_photo(demo, tmp_path):
    import io
    import subprocess

    from PIL import Image

    svc = Services(demo[1], user="测试员")
    uuid = a_person(demo)
    name = sql(demo[0], "SELECT name FROM representatives WHERE uuid = ?", uuid)[0][0]
    pdf = build(svc, tmp_path, "person", id=uuid)
    txt = flat(pdf)
    assert name in txt and "照片" in txt and "简历" in txt
    buf = io.BytesIO()
    Image.new("RGB", (120, 160), (200, 60, 60)).save(buf, "PNG")
    svc.add_attachment("representatives", uuid, "photo", "photo.png", buf.getvalue())
    pdf = build(svc, tmp_path, "person", id=uuid)
    assert "照片" not in flat(pdf)
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) >= 3  # header, rule, one image
    assert pages(pdf) == 1


def test_sites_proposals_cadres_chambers_figures(demo, svc, tmp_path):
    db = demo[0]
    (n_sites,), = sql(db, "SELECT count(*) FROM sites WHERE deleted = 0")
    (overdue,), = sql(db, "SELECT count(*) FROM site_issues i JOIN sites s ON s.uuid = i.parent WHERE i.deleted = 0 "
                          "AND s.deleted = 0 AND i.status = '1' AND i.deadline < ?", dt.date.today().isoformat())
    txt = flat(build(svc, tmp_path, "sites"))
    assert f"共{n_sites}处" in txt and f"逾期{overdue}个" in txt and "三、问题整改台账" in txt
    year = dt.date.today().year
    (n_prop,), = sql(db, "SELECT count(*) FROM proposals WHERE deleted = 0 AND submitted_on BETWEEN ? AND ?",
                     f"{year}-01-01", f"{year}-12-31")
    txt = flat(build(svc, tmp_path, "proposals", year=year))
    assert f"{year}年度，共{n_prop}件" in txt and "六、超期未办结" in txt
    (n_ch,), = sql(db, "SELECT count(*) FROM chambers WHERE deleted = 0")
    assert f"共{n_ch}个" in flat(build(svc, tmp_path, "chambers"))
    today = dt.date.today().isoformat()
    (missing,), = sql(db, """SELECT count(*) FROM townships t WHERE active AND NOT EXISTS (
        SELECT 1 FROM cadres c WHERE c.deleted = 0 AND c.township = t.code AND c.post = '02'
        AND (c.left_on IS NULL OR c.left_on > ?) AND (c.appointed_on IS NULL OR c.appointed_on <= ?))""", today, today)
    lay = text(build(svc, tmp_path, "cadres"))
    assert f"个乡镇（街道）中{missing}个缺统战委员" in flat_of(lay)
    assert sum(1 for line in lay.splitlines() if " 缺 " in f" {line} ") == missing


def test_roster_by_sort_number_puts_the_numbered_first(demo, tmp_path):
    svc = Services(demo[1], user="测试员")
    db = demo[0]
    last_two = sql(db, "SELECT uuid, name FROM representatives WHERE deleted = 0 AND status = '1' "
                       "ORDER BY sk_stroke DESC LIMIT 2")
    for n, (uuid, _name) in enumerate(last_two, 1):
        svc.update("representatives", uuid, {"sort_no": n})
    lay = text(build(svc, tmp_path, "roster", order="sort_no"))
    rows = [line.split() for line in lay.splitlines() if line.strip()[:1].isdigit() and len(line.split()) > 5]
    assert [r[1] for r in rows[:2]] == [last_two[0][1], last_two[1][1]]
    assert "按排序号排列" in flat_of(lay)


def test_person_form_masks_numbers_for_a_viewer_and_gives_the_age(demo, tmp_path):
    uuid, id_number, mobile, birth = sql(demo[0], "SELECT uuid, id_number, mobile, birth_date FROM representatives "
                                                  "WHERE deleted = 0 AND id_number IS NOT NULL AND mobile IS NOT NULL "
                                                  "AND birth_date IS NOT NULL LIMIT 1")[0]
    viewer = Services(demo[1], user="访客", role="viewer")
    txt = flat(build(viewer, tmp_path, "person", id=uuid))
    assert id_number not in txt and mobile not in txt
    assert id_number[:4] + "*" * 10 + id_number[-4:] in txt and mobile[:3] + "****" + mobile[-4:] in txt
    b, today = birth if isinstance(birth, dt.date) else dt.date.fromisoformat(birth), dt.date.today()
    assert f"（{today.year - b.year - ((today.month, today.day) < (b.month, b.day))}岁）" in txt


def test_a_report_with_full_numbers_is_audited(demo, tmp_path):
    from ufdesk.services import audit

    admin = Services(demo[1], user="管理员", role="admin")
    viewer = Services(demo[1], user="访客", role="viewer")

    def audited():
        with demo[1].connect() as conn:
            return [e["summary"] for e in audit.entries(conn, action="report_full_ids")]

    before = len(audited())
    build(viewer, tmp_path, "roster")
    build(admin, tmp_path, "roster")  # not asked for: masked, even for an admin
    assert len(audited()) == before  # masked: nothing to record
    build(admin, tmp_path, "roster", full_ids=True)
    after = audited()
    assert len(after) == before + 1 and "党外代表人士花名册" in after[0]
