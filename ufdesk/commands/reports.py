"""``ufdesk report TEMPLATE``: print-ready PDF reports (and the monthly summary as Word)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..paths import write_private

NAMES = ("monthly", "roster", "structure", "person", "sites", "proposals", "cadres", "chambers", "tasks", "evaluation",
         "archive")
HELP = ("archive 列出已定稿的报表；monthly 月度工作汇总，roster 花名册，structure 结构分析，person 个人信息登记表，sites 宗教活动场所，"
        "proposals 提案建议统计，cadres 统战干部配备，chambers 商会社团一览，tasks 重点任务推进表，"
        "evaluation 乡镇统战工作考核评价表")


def register(sub, common) -> None:
    s = sub.add_parser("report", parents=[common.db, common.login], help="生成报表（PDF 或 Word）")
    s.add_argument("template", metavar="TEMPLATE", choices=NAMES, help=HELP)
    s.add_argument("--out", metavar="FILE.pdf", help="输出文件：.pdf 或 .docx（Word，可编辑）；archive 不需要")
    s.add_argument("--month", metavar="YYYY-MM", help="月份（monthly、tasks；默认上个月）")
    s.add_argument("--year", metavar="YYYY", help="年度（proposals、tasks、evaluation；默认今年）")
    s.add_argument("--quarter", metavar="Q", help="季度 1-4（evaluation；不填为全年）")
    s.add_argument("--township", metavar="CODE", help="乡镇代码或名称（roster、structure、sites、chambers；“县直”为县直单位）")
    s.add_argument("--kind", metavar="CODE|名称", help="人士类别代码或名称（roster），如 05 或 宗教界人士")
    s.add_argument("--id", metavar="UUID", help="代表人士的 UUID 或姓名（person）")
    s.add_argument("--summary", metavar="TEXT", help="本月工作小结（monthly）；以 @ 开头表示从该文件读取")
    s.add_argument("--date", metavar="YYYY-MM-DD",
                   help="数字截至哪一天（roster、structure、sites、proposals、cadres；默认今天）")
    s.add_argument("--issue", action="store_true",
                   help="定稿（monthly）：把本月汇总的 PDF、Word 和数字存为新的一版（录入员或管理员）")
    s.add_argument("--fresh", action="store_true", help="已定稿的月份也按今天的数据重新生成（monthly）")
    s.add_argument("--edition", type=int, metavar="N", help="输出已定稿的第 N 版（monthly；默认最新一版）")
    s.add_argument("--json", action="store_true", help="以 JSON 输出（archive）")
    s.add_argument("--columns", metavar="列,列", help="花名册的列（roster），如 姓名,性别,出生年月,工作单位及职务,手机")
    s.add_argument("--full-ids", action="store_true", help="打印完整的身份证号、手机号（需有查看权限，记入审计）")
    s.add_argument("--mark", metavar="TEXT", help="页面左上角的标识，如 内部资料（印作“内部资料 注意保存”）")
    s.add_argument("--order", choices=("stroke", "sort_no"), default="stroke", help="花名册排序：stroke 按姓氏笔画（默认），sort_no 按排序号")
    s.set_defaults(func=cmd_report)


def cmd_report(args) -> int:
    from .. import reports
    from ..cli import open_services, out
    from ..domain.errors import UfError

    if args.template == "archive":
        return cmd_archive(args)
    if not args.out:
        raise UfError("请用 --out 指定输出文件（.pdf 或 .docx）。")
    target = Path(args.out)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "docx"):
        raise UfError(f"输出文件“{args.out}”应以 .pdf（PDF）或 .docx（Word）结尾。")
    summary = args.summary or ""
    if summary.startswith("@"):
        summary = Path(summary[1:]).read_text(encoding="utf-8")
    svc = open_services(args)
    params = {"month": args.month, "year": args.year, "township": args.township, "kind": args.kind, "id": args.id,
              "summary": summary, "order": args.order, "quarter": args.quarter, "date": args.date,
              "columns": args.columns, "full_ids": args.full_ids, "mark": args.mark}
    if args.template == "monthly" and (args.issue or not args.fresh):
        done = _issued_monthly(svc, args, params, fmt, target)
        if done is not None:
            return done
    elif args.issue or args.edition:
        raise UfError("只有月度汇总（monthly）可以定稿或按版次输出。")
    gen = reports.build(svc, args.template, params, fmt)
    warnings: list[str] = []
    while True:
        try:
            done, total, message = next(gen)
        except StopIteration as stop:
            content = stop.value
            break
        if message.startswith("警告"):
            warnings.append(message)
        elif sys.stderr.isatty():
            print(f"\r{message}", end="", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_private(target, content)
    out(f"已生成{reports.template(args.template).label}：{target}")
    for w in warnings:
        print(w, file=sys.stderr)
    return 0


def _issued_monthly(svc, args, params: dict, fmt: str, target: Path) -> int | None:
    """``--issue``: issue the month and write the new edition; otherwise the newest (or the
    ``--edition``) issued edition byte for byte. None: the month was never issued (make it fresh)."""
    from ..cli import out
    from ..domain.errors import UfError
    from ..reports import archive
    from ..reports.data import resolve_month

    month = resolve_month(params.get("month"))
    params = dict(params, month=month)
    if args.issue:
        if args.edition or args.fresh:
            raise UfError("--issue 不能与 --edition 或 --fresh 同用：定稿总是按今天的数据生成新的一版。")
        made = archive.issue(svc, "monthly", params)
        found = archive.content(svc.store, "monthly", month, fmt, made["edition"])
        changed = "；".join(f"{k} {o}→{n}" for k, o, n in made["changed"])
        target.parent.mkdir(parents=True, exist_ok=True)
        write_private(target, found[0])
        out(f"已定稿{month}月度汇总第{made['edition']}版：{target}" + (f"（与上一版不同：{changed}）" if changed else ""))
        return 0
    found = archive.content(svc.store, "monthly", month, fmt, args.edition)
    if found is None:
        return None
    data, row = found
    target.parent.mkdir(parents=True, exist_ok=True)
    write_private(target, data)
    out(f"已输出{month}月度汇总第{row['edition']}版定稿（{row['issued_at']:%Y-%m-%d %H:%M}，{row['issued_by'] or ''}）："
        f"{target}。按今天的数据重新生成请加 --fresh。")
    return 0


def cmd_archive(args) -> int:
    from ..cli import open_services, out, out_json
    from ..reports import archive

    svc = open_services(args)
    svc.require("reports")
    rows = archive.listing(svc.store)
    if args.json:
        out_json(rows)
        return 0
    if not rows:
        out("还没有定稿的报表。")
        return 0
    for r in rows:
        out(f"{r['report']}  {r['month']}  第{r['edition']}版  {r['issued_at']}  {r['issued_by'] or ''}  "
            f"{'、'.join(r['formats'])}  {r['sha256'][:12]}")
    return 0
