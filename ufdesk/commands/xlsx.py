"""``import-xlsx``, ``export-xlsx`` and ``template-xlsx``: Excel rosters from the command line;
``import log`` and ``import undo``: past imports, and the undo of one whole import."""

from __future__ import annotations

import sys

LEDGER_HELP = "台账：representatives, chambers, sites, proposals, cadres, activities（或中文名，如 代表人士）"


def register(sub, common) -> None:
    s = sub.add_parser("import-xlsx", parents=[common.db, common.login], help="从 Excel（xlsx/xls/ods/csv）导入台账")
    s.add_argument("--ledger", required=True, help=LEDGER_HELP)
    s.add_argument("file", metavar="FILE", help="要导入的文件：xlsx、xls、ods 或 csv（UTF-8 或 GBK）")
    s.add_argument("--dry-run", action="store_true", help="只检查、报告问题，不写入")
    s.add_argument("--skip-invalid", action="store_true", help="导入没有问题的行，有问题的行写入 --rejects 文件")
    s.add_argument("--rejects", metavar="OUT.xlsx", help="被拒收行的输出文件（默认：<输入文件名>_rejects.xlsx）")
    s.add_argument("--update", action="store_true", help="已存在的记录用表中的值更新（默认保持不变）")
    s.add_argument("--sheet", metavar="NAME", help="工作表名称（默认：第一个有表头的工作表）")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("import", help="Excel 导入记录：查看、整批撤销")
    ps = s.add_subparsers(dest="import_command", metavar="操作", required=True, parser_class=type(s))
    p = ps.add_parser("log", parents=[common.db, common.login], help="列出历次导入（时间、文件、操作人、条数）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_import_log)
    p = ps.add_parser("undo", parents=[common.db, common.login], help="撤销一次导入（删除它新增的全部记录）")
    p.add_argument("number", type=int, metavar="N", help="导入编号（见 ufdesk import log）")
    p.set_defaults(func=cmd_import_undo)

    s = sub.add_parser("export-xlsx", parents=[common.db, common.login], help="把台账导出为 Excel")
    s.add_argument("--ledger", required=True, help=LEDGER_HELP + "，或 all 导出全部（每个台账一个工作表）")
    s.add_argument("--out", required=True, metavar="FILE.xlsx", help="输出文件")
    s.add_argument("--full-ids", action="store_true", help="身份证号、电话号码完整导出（需管理员权限，记入审计日志）")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("template-xlsx", parents=[common.db_optional], help="生成空白导入模板（含下拉列表）")
    s.add_argument("--ledger", required=True, help=LEDGER_HELP)
    s.add_argument("--out", required=True, metavar="FILE.xlsx", help="输出文件")
    s.set_defaults(func=cmd_template)


def _progress(done: int, total: int, message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{message}", end="", file=sys.stderr, flush=True)


def cmd_import(args) -> int:
    from ..cli import open_services, out
    from ..domain import ledger
    from ..domain.errors import UfError
    from ..exchange.xlsx_import import drain, open_source, run_import

    if args.rejects and not args.skip_invalid:
        raise UfError("--rejects 只能与 --skip-invalid 一起使用")
    lg = ledger(args.ledger)
    svc = open_services(args, action="import")
    source = open_source(args.file, lg.name, sheet=args.sheet, store=svc.store)
    report = drain(run_import(svc, source, dry_run=args.dry_run, skip_invalid=args.skip_invalid,
                              update=args.update, rejects=args.rejects), _progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for p in report.problems:
        out(p.line())
    for note in report.notes:
        out(f"说明：{note}")
    out(report.summary())
    if args.dry_run:
        return 0 if report.ok else 1
    return 0 if report.written else 1


def cmd_export(args) -> int:
    from ..cli import open_services, out
    from ..domain import ledger
    from ..exchange.xlsx_export import export_xlsx
    from ..exchange.xlsx_import import drain

    names = "all" if args.ledger == "all" else ledger(args.ledger).name
    svc = open_services(args, action="export")
    count = drain(export_xlsx(svc, names, args.out, full_ids=args.full_ids), _progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    ids = "身份证号、电话为完整号码（已记入审计日志）" if args.full_ids else "身份证号、电话已部分隐藏"
    out(f"已导出 {count} 条记录到 {args.out}（{ids}）")
    return 0


def cmd_template(args) -> int:
    from ..cli import open_store, out
    from ..domain import ledger
    from ..exchange.xlsx_export import write_template

    lg = ledger(args.ledger)
    codes = townships = None
    if getattr(args, "db", None):
        store = open_store(args)
        codes, townships = store.codebook(), store.townships()
    write_template(lg.name, args.out, codes=codes, townships=townships)
    out(f"已生成{lg.label}导入模板：{args.out}")
    return 0


def cmd_import_log(args) -> int:
    from ..cli import open_services, out, out_json
    from ..domain import LEDGERS
    from ..exchange import import_log as L

    svc = open_services(args)
    rows = L.entries(svc)
    if args.json:
        keep = ("id", "at", "user", "ledger", "file", "status", "new", "existing", "updated", "rejected", "subs")
        out_json([{k: (r[k].isoformat(sep=" ") if k == "at" and r[k] else r[k]) for k in keep} for r in rows])
        return 0
    if not rows:
        out("还没有导入过 Excel 表格。")
    for r in rows:
        label = LEDGERS[r["ledger"]].label if r["ledger"] in LEDGERS else (r["ledger"] or "")
        counts = ("" if r["status"] == "未导入" or r["new"] is None else
                  f"  新增{r['new']} 已存在{r['existing']} 更新{r['updated']} 拒收{r['rejected']}")
        out(f"{r['id']:>5}  {r['at']:%Y-%m-%d %H:%M}  {r['user'] or '（未登录）'}  {label}  {r['file']}{counts}"
            f"  {r['status']}")
    return 0


def cmd_import_undo(args) -> int:
    from ..cli import open_services, out
    from ..exchange import import_log as L

    svc = open_services(args, action="import")
    n = L.undo(svc, args.number)
    out(f"已撤销第 {args.number} 次导入：删除了它新增的 {n} 条记录。")
    return 0
