"""``ufdesk evaluation``: 乡镇统战工作考核评价 — scores, the year's rubric, 加分/扣分."""

from __future__ import annotations

from pathlib import Path

RUBRIC_HEADERS = ("代码", "指标", "规则", "分值", "参数")


def register(sub, common) -> None:
    s = sub.add_parser("evaluation", parents=[common.db_optional, common.login],
                       help="乡镇统战工作考核评价：得分与排名、考核细则、加分扣分")
    s.add_argument("--year", type=int, metavar="YYYY", help="年度")
    s.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), metavar="Q", help="季度（1-4；不填为全年）")
    s.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    s.set_defaults(func=cmd_evaluation)
    es = s.add_subparsers(dest="evaluation_command", metavar="操作", parser_class=type(s))

    p = es.add_parser("rubric", parents=[common.db, common.login], help="查看、导入或导出某年度的考核细则")
    p.add_argument("--year", type=int, required=True, metavar="YYYY", help="年度")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--import", dest="import_file", metavar="F.xlsx", help="从 Excel 导入该年度的考核细则")
    g.add_argument("--export", dest="export_file", metavar="F.xlsx", help="把该年度的考核细则导出为 Excel")
    p.set_defaults(func=cmd_rubric)

    p = es.add_parser("adjust", parents=[common.db, common.login], help="县委统战部对乡镇加分或扣分（须写明理由）")
    p.add_argument("--year", type=int, required=True, metavar="YYYY", help="年度")
    p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), metavar="Q", help="季度（不填则计入全年）")
    p.add_argument("--township", required=True, metavar="CODE", help="乡镇代码或名称")
    p.add_argument("--points", type=float, required=True, metavar="±N", help="加分为正数，扣分为负数")
    p.add_argument("--reason", required=True, metavar="TEXT", help="理由")
    p.set_defaults(func=cmd_adjust)


def cmd_evaluation(args) -> int:
    from ..cli import open_services, out, out_json
    from ..domain.errors import UfError
    from ..services.evaluation import evaluate

    if not args.db or args.year is None:
        raise UfError("请用 --db 指定数据库、--year 指定年度，例如：ufdesk evaluation --db 县.db --year 2026")
    svc = open_services(args)
    try:
        res = evaluate(svc, args.year, args.quarter)
    finally:
        svc.store.close()
    if args.json:
        out_json(res.as_json())
        return 0
    out(f"{res.period.label}乡镇统战工作考核评价（截至{res.period.as_of:%Y年%m月%d日}）")
    out("")
    for t in sorted(res.townships, key=lambda t: t["rank"]):
        out(f"第{t['rank']}名  {t['name']}（{t['code']}）  总分 {t['total']:g}")
        for i in t["indicators"]:
            out(f"    {i['label']}：{i['points']:g}/{i['max']:g}（{i['numerator']}/{i['denominator']}）")
        for a in t["adjustments"]:
            out(f"    {'加分' if a['points'] > 0 else '扣分'} {a['points']:+g}：{a['reason']}")
    return 0


def cmd_adjust(args) -> int:
    from ..cli import open_services, out
    from ..services.evaluation import adjust

    svc = open_services(args, action="edit")
    try:
        done = adjust(svc, args.year, args.township, args.points, args.reason, args.quarter)
        out(f"已记录：{svc.store.township_name(done['township'])} {args.year}年度"
            f"{'第' + str(args.quarter) + '季度' if args.quarter else ''} {done['points']:+g}分（{done['reason']}）。")
    finally:
        svc.store.close()
    return 0


def cmd_rubric(args) -> int:
    from ..cli import open_services, out
    from ..services.evaluation import RULES, rubric, save_rubric

    svc = open_services(args, action="edit" if args.import_file else "read")
    try:
        if args.import_file:
            items = read_rubric(Path(args.import_file))
            save_rubric(svc.store, args.year, items, user=svc.user)
            out(f"已导入{args.year}年度考核细则：{len(items)}项指标，共{sum(i.points for i in items):g}分。")
            return 0
        items = rubric(svc.store, args.year)
        if args.export_file:
            write_rubric(Path(args.export_file), args.year, items)
            out(f"已导出{args.year}年度考核细则：{args.export_file}")
            return 0
        out(f"{args.year}年度考核细则（共{sum(i.points for i in items):g}分）")
        for n, i in enumerate(items, 1):
            param = _param_text(i)
            out(f"{n}. {i.label}  {i.points:g}分  规则：{RULES[i.rule].label}（{i.rule}）" + (f"  参数：{param}" if param else ""))
    finally:
        svc.store.close()
    return 0


def _param_text(i) -> str:
    from ..services.evaluation import REP_FIELD_LABELS

    v = i.param
    if v is None:
        return ""
    if isinstance(v, list):
        return "、".join(REP_FIELD_LABELS.get(f, f) for f in v)
    return str(v)


def write_rubric(path: Path, year: int, items) -> None:
    """The rubric as a sheet an office can edit: one row an indicator, then the rules explained."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from ..services.evaluation import RULES

    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年度考核细则"
    ws.append(list(RUBRIC_HEADERS))
    for i in items:
        ws.append([i.key, i.label, RULES[i.rule].label, i.points, _param_text(i)])
    ws.append([])
    ws.append(["可用规则", "规则说明", None, None, "参数"])
    for r in RULES.values():
        ws.append([r.key, f"{r.label}：{r.sentence}", None, None, r.param])
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str):
                c.data_type = "s"  # never a formula, whatever the text begins with
    for col, width in zip("ABCDE", (16, 24, 20, 8, 36), strict=True):
        ws.column_dimensions[col].width = width
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in ws.iter_rows(min_row=len(items) + 3):
        row[1].alignment = Alignment(wrap_text=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def read_rubric(path: Path):
    """Indicators from a rubric sheet (as ``write_rubric`` writes it, edited in Excel or WPS):
    columns 指标, 规则, 分值 and optionally 代码, 参数; reading stops at the first blank row."""
    from ..domain.errors import UfError
    from ..exchange.xlsx_read import read_sheet
    from ..services.evaluation import RULES, Indicator, _param

    sheet = read_sheet(path)
    rows = [[("" if c is None else str(c).strip()) for c in r] for r in sheet.rows]
    head = next((n for n, r in enumerate(rows) if "指标" in r and "规则" in r and "分值" in r), None)
    if head is None:
        raise UfError(f"{path.name}：找不到表头（应有“指标”“规则”“分值”三列）。")
    col = {h: rows[head].index(h) for h in RUBRIC_HEADERS if h in rows[head]}
    by_label = {r.label: r.key for r in RULES.values()}
    items, keys = [], set()
    for n in range(head + 1, len(rows)):
        r = rows[n]
        line = sheet.first_row + n

        def cell(name, r=r):
            i = col.get(name)
            return r[i] if i is not None and i < len(r) else ""

        if not any(r):
            break
        label, rule_text, points_text = cell("指标"), cell("规则"), cell("分值")
        rule = rule_text if rule_text in RULES else by_label.get(rule_text)
        if rule is None:
            raise UfError(f"{path.name} 第{line}行：规则“{rule_text}”不是可用的规则（可用："
                          + "、".join(r.label for r in RULES.values()) + "）。")
        try:
            points = float(points_text)
        except ValueError:
            raise UfError(f"{path.name} 第{line}行：分值“{points_text}”应为数字。") from None
        if not 0 < points <= 100:
            raise UfError(f"{path.name} 第{line}行：分值应大于0且不超过100。")
        if not label:
            raise UfError(f"{path.name} 第{line}行：指标名称为空。")
        key = cell("代码") or rule
        if key in keys:
            key = f"{key}_{n}"
        keys.add(key)
        try:
            param = _param(rule, cell("参数"))
        except UfError as exc:
            raise UfError(f"{path.name} 第{line}行：{exc}") from None
        items.append(Indicator(key, label, rule, points, param))
    if not items:
        raise UfError(f"{path.name}：表头下没有任何指标。")
    return items
