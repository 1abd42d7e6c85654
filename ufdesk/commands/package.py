"""Commands for USB transfer packages: ``package export|import|log|undo``, ``conflicts
[resolve]``, ``completeness``.

The exchange passphrase comes from ``--passphrase-file F`` (first line), else the environment
variable ``UFDESK_PASSPHRASE``, else a prompt when there is a terminal, else the command stops
(exit 1). It is never printed or logged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from ..domain.errors import UfError

PASSPHRASE_ENV = "UFDESK_PASSPHRASE"


def passphrase(args, *, confirm: bool = False) -> str:
    path = getattr(args, "passphrase_file", None)
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8-sig").splitlines()
        except OSError as exc:
            raise UfError(f"无法读取口令文件 {path}：{exc.strerror or exc}") from exc
        value = text[0].strip() if text else ""
    elif os.environ.get(PASSPHRASE_ENV):
        value = os.environ[PASSPHRASE_ENV]
    elif sys.stdin.isatty():
        import getpass

        value = getpass.getpass("交换口令：")
        if confirm and getpass.getpass("再输入一次：") != value:
            raise UfError("两次输入的口令不一致。")
    else:
        raise UfError(f"需要交换口令：请用 --passphrase-file 指定口令文件，或设置环境变量 {PASSPHRASE_ENV}。")
    if not value:
        raise UfError("交换口令为空。")
    return value


def register(sub, common) -> None:
    s = sub.add_parser("package", help="U盘数据交换：导出、导入、记录、撤销")
    ps = s.add_subparsers(dest="package_command", metavar="操作", required=True, parser_class=type(s))

    p = ps.add_parser("export", parents=[common.db, common.login], help="导出数据包（加密）")
    p.add_argument("--out", required=True, help="数据包文件路径（.ufpkg），或U盘上的文件夹")
    p.add_argument("--to", help="接收方：county（县委统战部，乡镇默认）或乡镇代码（县里导出时必填）")
    p.add_argument("--all", action="store_true", help="导出全部记录（默认只导出对方尚未确认收到的）")
    p.add_argument("--passphrase-file", help="从该文件第一行读取交换口令")
    p.set_defaults(func=cmd_export)

    p = ps.add_parser("import", parents=[common.db, common.login], help="导入数据包")
    p.add_argument("file", help="数据包文件（.ufpkg）")
    p.add_argument("--dry-run", action="store_true", help="只显示将新增、更新多少条，不做修改")
    p.add_argument("--passphrase-file", help="从该文件第一行读取交换口令")
    p.set_defaults(func=cmd_import)

    p = ps.add_parser("log", parents=[common.db, common.login], help="数据包收发记录")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_log)

    p = ps.add_parser("undo", parents=[common.db, common.login], help="撤销一次导入（整批）")
    p.add_argument("package_id", metavar="PACKAGE_ID", help="数据包编号（见 package log）")
    p.set_defaults(func=cmd_undo)

    s = sub.add_parser("conflicts", parents=[common.db_optional, common.login], help="待处理的冲突")
    s.add_argument("--json", action="store_true", help="输出 JSON 列表")
    s.set_defaults(func=cmd_conflicts)
    cs = s.add_subparsers(dest="conflicts_command", metavar="操作", parser_class=type(s))
    p = cs.add_parser("resolve", help="处理一个冲突")
    p.add_argument("--db", default=argparse.SUPPRESS, help="数据库文件路径")
    p.add_argument("--user", default=argparse.SUPPRESS, help="以该用户身份操作")
    p.add_argument("id", type=int, metavar="ID", help="冲突编号（见 ufdesk conflicts）")
    p.add_argument("--take", required=True, choices=["mine", "theirs"], help="mine 保留本机，theirs 采用对方")
    p.set_defaults(func=cmd_resolve)

    s = sub.add_parser("completeness", parents=[common.db, common.login], help="各乡镇某月数据报送情况")
    s.add_argument("--month", required=True, help="月份 YYYY-MM")
    s.add_argument("--json", action="store_true", help="输出 JSON")
    s.set_defaults(func=cmd_completeness)


def _services(args, action="read"):
    from ..cli import open_services

    if not getattr(args, "db", None):
        from ..clierrors import UsageError

        raise UsageError("缺少必需的参数 --db")
    return open_services(args, action=action)


def cmd_export(args) -> int:
    from ..cli import out
    from ..exchange import package_export as E
    from ..exchange import usb

    svc = _services(args, "packages")
    phrase = passphrase(args, confirm=True)
    sealed, manifest = E.run(E.build_for(svc, passphrase=phrase, to=args.to, everything=args.all))
    pkg = E.reopen_for(svc, sealed, phrase)  # verify the package opens before it goes anywhere
    dest = Path(args.out)
    if dest.is_dir():
        dest = dest / E.default_filename(svc, manifest)
    usb.write_file(sealed, dest)
    E.record_sent_for(svc, manifest, pkg.digest)
    n = manifest["records"]
    out(f"已导出数据包 {dest}（第 {manifest['seq']} 号，编号 {manifest['package_id']}，{n} 条台账记录"
        f"{'，全部' if manifest['all'] else ''}）。")
    out(usb.SAFE_MESSAGE)
    return 0


def cmd_import(args) -> int:
    from ..cli import err, out
    from ..exchange import package_import as I

    svc = _services(args, "packages")
    pkg = I.read_file_for(svc, args.file, passphrase(args))
    result = I.run(I.import_for(svc, pkg, dry_run=args.dry_run))
    for w in result.warnings:
        err(w)
    for line in result.lines():
        out(line)
    for line in result.refused:
        out(line)
    if result.already:
        return 0
    if args.dry_run:
        out("（预览：以上为将要发生的变化，数据库未做任何修改。）")
    else:
        out(f"已导入{result.sender}的数据包 {result.package_id}。")
        if result.conflicts:
            out(f"有 {result.conflicts} 处冲突待处理：ufdesk conflicts --db {args.db}")
        if result.duplicates:
            out(f"有 {result.duplicates} 条疑似重复的记录待核对（在图形界面“冲突与重复”中处理）。")
    return 0


def _iso(v):
    return v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v


def cmd_log(args) -> int:
    from ..cli import out, out_json
    from ..exchange import package_import as I

    svc = _services(args)
    rows = I.log_entries(svc.store)
    if args.json:
        keep = ("package_id", "direction", "sender", "sender_township", "recipient", "seq", "months",
                "exported_at", "imported_at", "records", "status")
        out_json([{k: _iso(r[k]) for k in keep} | {"counts": json.loads(r["counts"] or "{}"),
                                                   "trust": json.loads(r["details"] or "{}").get("trust")}
                  for r in rows])
        return 0
    if not rows:
        out("还没有收发过数据包。")
    for r in rows:
        who = svc.store.township_name(r["sender_township"])
        when = r["imported_at"] if r["direction"] == "received" else r["exported_at"]
        what = "收到" if r["direction"] == "received" else "发出"
        status = "（已撤销）" if r["status"] == "undone" else ""
        if json.loads(r["details"] or "{}").get("trust") == "unverified":
            status += "（未验证）"
        to = "县委统战部" if r["recipient"] == "county" else svc.store.township_name(r["recipient"])
        out(f"{_iso(when)}  {what}  {who} → {to}  第 {r['seq']} 号  {r['records'] or 0} 条  {r['package_id']}{status}")
    return 0


def cmd_undo(args) -> int:
    from ..cli import out
    from ..exchange import package_import as I

    svc = _services(args, "packages")
    n = I.undo_for(svc, args.package_id)
    out(f"已撤销数据包 {args.package_id} 的导入（{n} 条记录恢复原状）。")
    return 0


def cmd_conflicts(args) -> int:
    from ..cli import out, out_json
    from ..exchange import conflicts as C

    svc = _services(args)
    items = C.list_conflicts(svc)
    if args.json:
        keep = ("id", "ledger", "record", "field", "mine", "theirs", "package", "since")
        out_json([{k: c[k] for k in keep} for c in items])
        return 0
    if not items:
        out("没有待处理的冲突。")
    from ..services.audit import masked_value

    for c in items:
        mine, theirs = (v if isinstance(v, dict) else masked_value(c["table"], c["field"], v)
                        for v in (c["mine"], c["theirs"]))
        out(f"[{c['id']}] {c['ledger']} {c['title']}：{c['label']}  本机={_show(mine)}  对方={_show(theirs)}")
    return 0


def _show(v) -> str:
    if isinstance(v, dict) and "deleted" in v:
        return "已删除" if v["deleted"] else "保留"
    return "（空）" if v in (None, "") else str(v)


def cmd_resolve(args) -> int:
    from ..cli import out
    from ..exchange import conflicts as C

    svc = _services(args, "packages")
    C.resolve(svc, args.id, args.take)
    out(f"冲突 {args.id} 已处理（{'保留本机' if args.take == 'mine' else '采用对方'}），将随下一个数据包传给对方。")
    return 0


def cmd_completeness(args) -> int:
    from ..cli import out, out_json
    from ..exchange.completeness import completeness

    svc = _services(args)
    rows = completeness(svc.store, args.month)
    if args.json:
        out_json([{k: _iso(v) for k, v in r.items()} for r in rows])
        return 0
    for r in rows:
        if r["reported"]:
            state = "按时" if r["on_time"] else "逾期"
            out(f"{r['name']}（{r['code']}）：已报送，{_iso(r['exported_at'])} 导出，{_iso(r['imported_at'])} 导入，"
                f"{r['records']} 条，{state}")
        else:
            out(f"{r['name']}（{r['code']}）：未报送")
    return 0
