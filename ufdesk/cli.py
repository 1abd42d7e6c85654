"""The command line: every job the GUI does, for IT staff, scripts and tests.

Errors go to stderr in Chinese with exit 1; usage errors exit 2. Each subsystem adds its
commands through a ``register(sub, common)`` function listed in ``COMMAND_MODULES``; nothing
heavy is imported until a command runs.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import json
import os
import sys
from pathlib import Path

from . import __version__
from .clierrors import (
    UsageError,
    chinese_types,
    fail,
    install_argparse_chinese,
    positive_integer,
    quiet_unraisable,
    usage_message,
)
from .domain.errors import UfError

# Modules that add commands: each has register(subparsers, common_parsers).
COMMAND_MODULES: list[str] = [
    "ufdesk.commands.xlsx",  # import-xlsx, export-xlsx, template-xlsx
    "ufdesk.commands.reports",  # report
    "ufdesk.commands.package",  # package, conflicts, completeness
    "ufdesk.commands.enrol",  # enrol request|accept|finish|list|revoke
    "ufdesk.commands.security",  # user, audit, backup, restore, purge
    "ufdesk.commands.settings",  # setting list|get|set
    "ufdesk.commands.evaluation",  # evaluation, evaluation rubric|adjust
    "ufdesk.commands.records",  # records set-field (批量修改)
]


install_argparse_chinese()  # argparse's own words (usage:, options, its errors) in Chinese


class Parser(argparse.ArgumentParser):
    """argparse with Chinese usage errors (exit 2)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        print(f"用法错误：{usage_message(message)}", file=sys.stderr)
        sys.exit(2)


class Common:
    """Parent parsers shared by commands: ``db`` (a database to open), ``login``."""

    def __init__(self):
        self.db = Parser(add_help=False)
        self.db.add_argument("--db", required=True, help="数据库文件路径（或 postgresql:// 地址）")
        self.db_optional = Parser(add_help=False)
        self.db_optional.add_argument("--db", help="数据库文件路径（或 postgresql:// 地址）")
        self.login = Parser(add_help=False)
        self.login.add_argument("--user", help="以该用户身份操作（也可用环境变量 UFDESK_USER）")


def out(text: str = "") -> None:
    print(text)


def out_json(data) -> None:
    """``data`` as one line of JSON on stdout, always UTF-8 (see ufdesk/console.py)."""
    from .console import write_json

    write_json(json.dumps(data, ensure_ascii=False))


def err(text: str) -> None:
    print(text, file=sys.stderr)


# -- opening a database as a user -------------------------------------------------------------
_OPENED: list = []  # the stores this command opened: closed when it ends (see main)


def open_store(args):
    from .store import Store

    store = Store.open(args.db)
    _OPENED.append(store)
    return store


def _close_stores() -> None:
    """Let go of the database files a command opened. On Windows an open file cannot be deleted
    or replaced, so a restore, a copy or the next command run in the same process (a script,
    the GUI's own jobs) would find them “in use by another program”."""
    while _OPENED:
        try:
            _OPENED.pop().close()
        except Exception:  # noqa: BLE001 — closing is best effort; the command's result stands
            pass


def open_services(args, *, action: str = "read"):
    """The store opened by the command's user. Once the database has users, a valid login is
    needed (``--user`` or UFDESK_USER, password from UFDESK_PASSWORD or a prompt); without one
    the command stops here (a failed login is audited and counts toward the lock). ``action``
    names a permission the command needs (``edit``, ``import``, ``export``, …; ``read``: none)."""
    from .services import Services
    from .services.users import has_users, login

    store = open_store(args)
    if store.readonly:
        err(f"注意：{store.readonly_message}")
    try:
        name = getattr(args, "user", None) or os.environ.get("UFDESK_USER")
        if not has_users(store):
            return Services(store, user=name or "命令行")
        user = login(store, *login_credentials(name))
        svc = Services(store, user=user["name"], role=user["role"])
        if action not in ("read", "", None):
            svc.require("edit" if action == "write" else action)
        return svc
    except BaseException:
        store.close()
        raise


def login_credentials(name: str | None) -> tuple[str, str]:
    """The user name and password of a command-line login (env, else a prompt on a terminal)."""
    from .services.users import LoginRequired

    if not name:
        raise LoginRequired("此数据库已设置用户：请用 --user 用户名（或环境变量 UFDESK_USER）登录。")
    return name, read_password("UFDESK_PASSWORD", f"用户 {name} 的密码：")


def read_password(env: str, prompt: str, *, confirm: bool = False) -> str:
    """A password from the environment variable ``env`` or, on a terminal, a hidden prompt."""
    from .services.users import LoginRequired

    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise LoginRequired(f"需要密码：请设置环境变量 {env}，或在终端中运行以便输入密码。")
    import getpass

    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("再输入一次：") != value:
        raise UfError("两次输入的密码不一致。")
    return value


def admin_password(args) -> str | None:
    """``init``/``demo`` ``--admin NAME``: the first administrator's password (UFDESK_PASSWORD or a
    prompt), checked before anything is created."""
    if not getattr(args, "admin", None):
        return None
    from .services.users import check_name, check_password

    args.admin = check_name(args.admin)
    password = read_password("UFDESK_PASSWORD", f"管理员 {args.admin} 的密码：", confirm=True)
    check_password(password)
    return password


def create_admin(store, name: str | None, password: str | None) -> None:
    if not name:
        return
    from .services.users import add_user

    add_user(store, name, password, "admin", by=name)
    out(f"已建立管理员 {name}。")


def date_arg(text: str):
    """An argparse ``type`` for dates, read by the one date parser: 2026-03-15, 2026.3.15,
    2026年3月15日, 20260315 … (a month alone means its first day)."""
    from .domain.dates import DateError, parse_date

    try:
        value = parse_date(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(f"“{text}”：{exc}") from None
    if value is None:
        raise argparse.ArgumentTypeError("日期不能为空")
    return value


# -- places CSV ---------------------------------------------------------------------------------
def read_places_csv(path: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Townships (9-digit codes) and villages (12-digit) from a ``代码,名称`` CSV (UTF-8 or GBK)."""
    raw = Path(path).read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UfError(f"{path}：无法识别文件编码（请保存为 UTF-8 或 GBK）")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip() for c in rows[0][:2]] != ["代码", "名称"]:
        raise UfError(f"{path}：第1行应为表头“代码,名称”")
    townships, villages = [], []
    for n, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 2:
            raise UfError(f"{path} 第{n}行：应有代码和名称两列")
        code, name = row[0].strip(), row[1].strip()
        if not code.isdigit() or len(code) not in (9, 12):
            raise UfError(f"{path} 第{n}行：代码“{code}”应为9位（乡镇）或12位（村、社区）数字")
        if not name:
            raise UfError(f"{path} 第{n}行：名称为空")
        (townships if len(code) == 9 else villages).append((code, name))
    known = {c for c, _ in townships}
    for code, name in villages:
        if code[:9] not in known:
            raise UfError(f"{path}：村(社区)“{name}”（{code}）所属的乡镇 {code[:9]} 不在文件中")
    return townships, villages


# -- commands -----------------------------------------------------------------------------------
def cmd_init(args) -> int:
    from .store import Store

    password = admin_password(args)
    if not (args.county_code.isdigit() and len(args.county_code) == 6):
        raise UfError("县代码应为6位数字（GB/T 2260）")
    townships, villages = read_places_csv(args.townships)
    bad = [c for c, _ in townships + villages if not c.startswith(args.county_code)]
    if bad:
        raise UfError(f"代码 {bad[0]} 不属于县代码 {args.county_code}")
    if args.township and args.township not in dict(townships):
        raise UfError(f"--township {args.township} 不在乡镇列表中")
    store = Store.create(args.db, county_code=args.county_code, county_name=args.county, townships=townships,
                         villages=villages, township=args.township, force=args.force)
    from .exchange.trust import mark_new_installation

    mark_new_installation(store)  # a new installation exchanges only signed packages (enrol first)
    who = f"{args.county}{dict(townships)[args.township]}" if args.township else f"{args.county}（县委统战部）"
    out(f"已建立数据库 {args.db}：{who}，{len(townships)} 个乡镇，{len(villages)} 个村(社区)。")
    create_admin(store, args.admin, password)
    store.close()
    return 0


def cmd_demo(args) -> int:
    from .services.demo import build_demo

    def progress(done, total, message):
        if sys.stderr.isatty():
            print(f"\r{message} {done}/{total}", end="", file=sys.stderr, flush=True)

    password = admin_password(args)
    store = build_demo(args.db, size=args.size, seed=args.seed, force=args.force, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    from .services.stats import totals

    t = totals(store)
    out(f"已生成演示县 {store.county_name}：{args.db}")
    out("，".join(f"{lg.label} {t[name]}" for name, lg in _ledgers().items()))
    create_admin(store, args.admin, password)
    store.close()
    return 0


def _ledgers():
    from .domain import LEDGERS

    return LEDGERS


def cmd_stats(args) -> int:
    from .services.stats import totals

    svc = open_services(args)
    data = totals(svc.store)
    if args.json:
        out_json(data)
    else:
        for name, lg in _ledgers().items():
            out(f"{lg.label}：{data[name]}")
        out("")
        for code, counts in data["by_township"].items():
            out(f"{svc.store.township_name(None if code == 'county' else code)}：" +
                "，".join(f"{lg.label} {counts[n]}" for n, lg in _ledgers().items()))
    return 0


def cmd_check(args) -> int:
    from .store.check import check

    ok, lines = check(args.db)
    for line in lines:
        (out if ok else err)(line)
    if ok:
        from .store.check import storage_notice

        out("检查通过。")
        notice = storage_notice(args.db)
        if notice:
            err(notice)
        return 0
    err("错误：检查未通过。")
    try:
        from .services.backup import newest_good_backup

        good = newest_good_backup(args.db)
    except UfError:  # PostgreSQL: no backups of ours
        good = None
    if good is not None:
        err(f"最新的完好备份：{good.describe()}\n可用 ufdesk restore --db {args.db} \"{good.path}\" 恢复"
            "（恢复前会先保存当前文件）。")
    return 1


def cmd_diagnostics(args) -> int:
    from .diagnostics import export

    path = export(args.out, getattr(args, "db", None))
    out(f"已导出诊断信息：{path}（日志、版本和设置，不含个人信息和口令），请交给维护人员。")
    return 0


def cmd_gui(args) -> int:
    from .app import run_gui

    return run_gui(getattr(args, "db", None))


def build_parser() -> Parser:
    common = Common()
    p = Parser(prog="ufdesk", description="统战工作台账：代表人士、商会社团、宗教场所、提案建议、统战干部、活动台账。")
    p.add_argument("--version", action="version", version=f"ufdesk {__version__}")
    p.add_argument("--db", help="打开图形界面时使用的数据库")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=Parser)

    s = sub.add_parser("init", parents=[common.db], help="建立本县（或某乡镇）的新数据库")
    s.add_argument("--county", required=True, help="县名称")
    s.add_argument("--county-code", required=True, help="县代码（6位，GB/T 2260）")
    s.add_argument("--townships", required=True, help="乡镇及村(社区)列表 CSV，表头“代码,名称”")
    s.add_argument("--township", help="本机属于哪个乡镇（9位代码）；不填则为县委统战部")
    s.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    s.add_argument("--admin", metavar="用户名", help="同时建立管理员（密码取自 UFDESK_PASSWORD 或提示输入）")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("demo", parents=[common.db], help="生成演示县数据")
    s.add_argument("--size", type=positive_integer, default=2000, help="代表人士人数（默认 2000）")
    s.add_argument("--seed", type=int, default=20261123, help="随机种子（相同种子生成相同数据）")
    s.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    s.add_argument("--admin", metavar="用户名", help="同时建立管理员（密码取自 UFDESK_PASSWORD 或提示输入）")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("stats", parents=[common.db, common.login], help="各台账记录数")
    s.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    s.set_defaults(func=cmd_stats)

    s = sub.add_parser("check", parents=[common.db], help="检查数据库结构版本与完整性")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("diagnostics", parents=[common.db_optional], help="导出诊断信息（日志、版本、设置）给维护人员")
    s.add_argument("--out", required=True, metavar="FILE.zip", help="输出的 zip 文件（或文件夹）")
    s.set_defaults(func=cmd_diagnostics)

    s = sub.add_parser("gui", parents=[common.db_optional], help="打开图形界面")
    s.set_defaults(func=cmd_gui)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    chinese_types(p)
    return p


def main(argv: list[str] | None = None) -> int:
    from .console import setup_streams

    setup_streams()
    sys.unraisablehook = quiet_unraisable
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # reported with the usage of the command they were given to
        getattr(args, "_parser", parser).error(f"无法识别的参数 {' '.join(extra)}")
    if args.command is None:
        args.func = cmd_gui
    from .logs import setup as setup_log

    setup_log("gui" if args.func is cmd_gui else "cli", " ".join(getattr(args, "_parser", parser).prog.split()[1:]))
    try:
        code = args.func(args) or 0
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except UsageError as exc:
        getattr(args, "_parser", parser).error(str(exc))
    except Exception as exc:  # noqa: BLE001 — every failure becomes one sentence (and the log)
        return fail(exc, getattr(args, "db", None))
    except KeyboardInterrupt as exc:
        return fail(exc)
    finally:
        _close_stores()
