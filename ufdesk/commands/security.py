"""Commands for users, the audit log, backups, restore and retention:
``user add|list|passwd|unlock|disable``, ``audit``, ``backup``, ``restore``, ``purge``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..domain.errors import UfError


def register(sub, common) -> None:
    s = sub.add_parser("user", help="管理用户（管理员）")
    us = s.add_subparsers(dest="user_command", metavar="操作", required=True, parser_class=type(s))
    p = us.add_parser("add", parents=[common.db, common.login],
                      help="新增用户（新用户的密码取自 UFDESK_NEW_PASSWORD 或提示输入）")
    p.add_argument("name", help="新用户的用户名")
    p.add_argument("--role", required=True, help="角色：管理员(admin)、录入员(editor)、查阅(viewer)")
    p.add_argument("--full-name", help="姓名")
    p.set_defaults(func=cmd_user_add)
    p = us.add_parser("list", parents=[common.db, common.login], help="列出用户")
    p.set_defaults(func=cmd_user_list)
    p = us.add_parser("passwd", parents=[common.db, common.login],
                      help="修改密码（本人或管理员；新密码取自 UFDESK_NEW_PASSWORD 或提示输入）")
    p.add_argument("name", help="用户名")
    p.set_defaults(func=cmd_user_passwd)
    p = us.add_parser("unlock", parents=[common.db, common.login], help="解除锁定")
    p.add_argument("name", help="用户名")
    p.set_defaults(func=cmd_user_unlock)
    p = us.add_parser("disable", parents=[common.db, common.login], help="停用用户（--enable 恢复）")
    p.add_argument("name", help="用户名")
    p.add_argument("--enable", action="store_true", help="重新启用")
    p.set_defaults(func=cmd_user_disable)
    p = us.add_parser("recover", parents=[common.db],
                      help="唯一的管理员忘记密码时：凭本机的交换口令为管理员设新密码（记入审计日志）")
    p.add_argument("name", nargs="?", help="管理员的用户名（只有一位管理员时可省略）")
    p.add_argument("--passphrase-file", help="从该文件第一行读取交换口令（也可用 UFDESK_PASSPHRASE）")
    p.set_defaults(func=cmd_user_recover)

    s = sub.add_parser("audit", parents=[common.db, common.login], help="查看或导出审计日志（管理员）")
    s.add_argument("--out", help="导出到 Excel 文件（.xlsx）")
    s.add_argument("--action", help="只看某类操作（如 login_failed、update、restore）")
    s.add_argument("--who", help="只看某个用户的操作")
    s.add_argument("--since", type=_date, metavar="日期", help="只看该日及以后的操作（如 2026-03-01、2026.3 或 2026年3月1日）")
    s.add_argument("--until", type=_date, metavar="日期", help="只看该日及以前的操作")
    s.add_argument("--limit", type=int, default=200, help="不导出时显示的条数（默认 200）")
    s.set_defaults(func=cmd_audit)

    s = sub.add_parser("backup", parents=[common.db, common.login], help="备份数据库到文件")
    s.add_argument("--out", required=True, help="备份文件路径")
    s.add_argument("--encrypt", action="store_true", help="加密（口令取自 --passphrase-file、UFDESK_PASSPHRASE 或提示输入）")
    s.add_argument("--passphrase-file", help="从该文件第一行读取口令")
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("restore", parents=[common.db, common.login],
                       help="从备份恢复（先备份当前数据；须当前数据库的管理员登录，数据库无法打开时按备份中的用户核对）")
    s.add_argument("file", help="备份文件（.db，或加密的备份）")
    s.add_argument("--passphrase-file", help="加密备份的口令文件")
    s.add_argument("--other-installation", action="store_true",
                   help="确认用另一台电脑（另一个安装）的备份替换本机数据")
    s.set_defaults(func=cmd_restore)

    s = sub.add_parser("purge", parents=[common.db, common.login],
                       help="清除多年前退出、去世或离任人员的记录（管理员）")
    s.add_argument("--older-than", type=int, required=True, metavar="年", help="退出、去世或离任已满多少年")
    s.add_argument("--dry-run", action="store_true", help="只显示将清除多少条，不做修改")
    s.set_defaults(func=cmd_purge)


def _date(text: str):
    return _cli().date_arg(text)


def _cli():
    from .. import cli

    return cli


def _new_password(prompt: str) -> str:
    from ..services.users import check_password

    pw = _cli().read_password("UFDESK_NEW_PASSWORD", prompt, confirm=True)
    check_password(pw)
    return pw


# -- users --------------------------------------------------------------------------------------
def cmd_user_add(args) -> int:
    from ..services.users import add_user, has_users

    cli = _cli()
    store = cli.open_store(args)
    try:
        if has_users(store):
            store.close()
            svc = cli.open_services(args, action="admin")
            store, by = svc.store, svc.user
            password = _new_password(f"新用户 {args.name} 的密码：")
        else:  # the first user: no one to log in as yet
            by = args.name
            password = os.environ.get("UFDESK_NEW_PASSWORD") or cli.read_password(
                "UFDESK_PASSWORD", f"新用户 {args.name} 的密码：", confirm=True)
        add_user(store, args.name, password, args.role, full_name=args.full_name, by=by)
    finally:
        store.close()
    cli.out(f"已新增用户 {args.name}。")
    return 0


def cmd_user_list(args) -> int:
    from ..services.users import list_users

    cli = _cli()
    svc = cli.open_services(args, action="admin")
    try:
        rows = list_users(svc.store)
    finally:
        svc.store.close()
    if not rows:
        cli.out("尚未设置用户（任何人都可使用本数据库）。可用 ufdesk user add 用户名 --role 管理员 建立管理员。")
    for u in rows:
        state = "已停用" if u["disabled"] else ("已锁定" if u["locked"] else "正常")
        last = f"{u['last_login']:%Y-%m-%d %H:%M}" if u["last_login"] else "从未登录"
        cli.out(f"{u['name']}\t{u['full_name'] or ''}\t{u['role_label']}\t{state}\t最近登录：{last}")
    return 0


def cmd_user_passwd(args) -> int:
    from ..services.users import set_password

    cli = _cli()
    svc = cli.open_services(args)
    try:
        if svc.user != args.name:
            svc.require("admin")
        set_password(svc.store, args.name, _new_password(f"{args.name} 的新密码："), by=svc.user)
    finally:
        svc.store.close()
    cli.out(f"已修改 {args.name} 的密码。")
    return 0


def cmd_user_recover(args) -> int:
    from ..services.users import recover_admin

    cli = _cli()
    from .package import passphrase as exchange_passphrase

    store = cli.open_store(args)
    try:
        phrase = exchange_passphrase(args)
        name = recover_admin(store, args.name, phrase, _new_password("管理员的新密码："))
    finally:
        store.close()
    cli.out(f"已为管理员 {name} 设置新密码，并解除锁定（已记入审计日志）。")
    return 0


def _admin_change(args, fn, done: str, **kw) -> int:
    cli = _cli()
    svc = cli.open_services(args, action="admin")
    try:
        fn(svc.store, args.name, by=svc.user, **kw)
    finally:
        svc.store.close()
    cli.out(done)
    return 0


def cmd_user_unlock(args) -> int:
    from ..services.users import unlock

    return _admin_change(args, unlock, f"已解除 {args.name} 的锁定。")


def cmd_user_disable(args) -> int:
    from ..services.users import disable

    return _admin_change(args, disable, f"已{'启用' if args.enable else '停用'}用户 {args.name}。",
                         disabled=not args.enable)


# -- audit --------------------------------------------------------------------------------------
def cmd_audit(args) -> int:
    from ..services.auditlog import audit_rows, export_xlsx

    cli = _cli()
    svc = cli.open_services(args, action="admin")
    try:
        if args.out:
            n = export_xlsx(svc, args.out, action=args.action, user=args.who, since=args.since, until=args.until)
            cli.out(f"已导出审计日志 {n} 条：{args.out}")
            return 0
        for r in audit_rows(svc, action=args.action, user=args.who, since=args.since, until=args.until,
                            limit=args.limit):
            cli.out("\t".join(str(v) for v in r))
    finally:
        svc.store.close()
    return 0


# -- backup and restore -------------------------------------------------------------------------
def read_passphrase(args, *, confirm: bool = False) -> str:
    """The passphrase as packages take it: ``--passphrase-file``, UFDESK_PASSPHRASE, a prompt."""
    path = getattr(args, "passphrase_file", None)
    if path:
        text = Path(path).read_text(encoding="utf-8-sig").splitlines()
        if not text or not text[0].strip():
            raise UfError(f"口令文件 {path} 是空的。")
        return text[0].strip()
    if os.environ.get("UFDESK_PASSPHRASE"):
        return os.environ["UFDESK_PASSPHRASE"]
    if not sys.stdin.isatty():
        raise UfError("需要口令：请用 --passphrase-file 口令文件，或设置环境变量 UFDESK_PASSPHRASE。")
    import getpass

    value = getpass.getpass("口令：")
    if confirm and getpass.getpass("再输入一次口令：") != value:
        raise UfError("两次输入的口令不一致。")
    if not value:
        raise UfError("口令不能为空。")
    return value


def cmd_backup(args) -> int:
    from ..services.backup import copy_out, sqlite_path

    cli = _cli()
    sqlite_path(args.db)  # PostgreSQL: say pg_dump before asking for a login
    # a copy carries every ID number and password hash: an administrator's job either way
    svc = cli.open_services(args, action="admin" if args.encrypt else "export_full_ids")
    try:
        passphrase = read_passphrase(args, confirm=True) if args.encrypt else None
        written = copy_out(svc, Path(args.out), passphrase=passphrase)
    finally:
        svc.store.close()
    cli.out(f"已备份到 {written}" + ("（已加密）" if args.encrypt else "（未加密：请妥善保管，勿随意拷贝）"))
    return 0


def cmd_restore(args) -> int:
    from ..services.backup import is_encrypted, restore, sqlite_path

    cli = _cli()
    sqlite_path(args.db)
    source = Path(args.file)
    if not source.exists():
        raise UfError(f"备份文件不存在：{source}")
    passphrase = read_passphrase(args) if is_encrypted(source) else None
    name = args.user or os.environ.get("UFDESK_USER")
    password = os.environ.get("UFDESK_PASSWORD")
    if name and not password:
        password = cli.read_password("UFDESK_PASSWORD", f"用户 {name} 的密码：")
    from ..services.restore import preview

    for line in preview(args.db, source, passphrase=passphrase).lines():
        cli.out(line)
    done = restore(args.db, source, user=name, password=password, passphrase=passphrase,
                   other_installation=args.other_installation)
    cli.out(f"已从 {source.name} 恢复：" + "，".join(f"{_label(n)} {c}" for n, c in done.counts.items()))
    if done.before:
        from ..services.backup import KEEP_BEFORE_RESTORE

        cli.out(f"恢复前的数据已备份为 {done.before}（备份文件夹中保留最近 {KEEP_BEFORE_RESTORE} 份恢复前的副本，"
                "仍存有独有数据的副本不会被删除）")
    return 0


def _label(name: str) -> str:
    from ..domain import LEDGERS

    return LEDGERS[name].label


# -- retention ----------------------------------------------------------------------------------
def cmd_purge(args) -> int:
    from ..services.retention import purge

    cli = _cli()
    svc = cli.open_services(args, action="admin")
    try:
        found = purge(svc, args.older_than, dry_run=args.dry_run)
    finally:
        svc.store.close()
    parts = "，".join(f"{_label(n)} {len(u)}" for n, u in found.uuids.items())
    verb = "将清除" if args.dry_run else "已清除"
    cli.out(f"{verb} {found.cutoff:%Y-%m-%d} 以前退出、去世或离任人员的记录 {found.total} 条（{parts}）。")
    if found.undated:
        cli.out(f"另有 {found.undated} 名代表人士状态为退出或去世但未填退出时间，未清除；请补填退出时间。")
    if found.issued:
        cli.out(f"已定稿的报表中有 {found.issued} 版提到这些人员；定稿作为正式文书保留，不清除。")
    if args.dry_run:
        cli.out("（试运行：未做任何修改）")
    return 0
