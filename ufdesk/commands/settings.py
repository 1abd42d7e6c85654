"""``ufdesk setting list|get|set``: the database's declared settings (``domain/settings.py``)."""

from __future__ import annotations


def register(sub, common) -> None:
    s = sub.add_parser("setting", help="查看或修改设置（单位名称、月报截止日、自动锁定时间等）")
    ss = s.add_subparsers(dest="setting_command", metavar="操作", required=True, parser_class=type(s))
    p = ss.add_parser("list", parents=[common.db, common.login], help="列出全部设置及其当前值")
    p.add_argument("--json", action="store_true", help="输出 JSON：[{key, value, default, scope}, …]")
    p.set_defaults(func=cmd_list)
    p = ss.add_parser("get", parents=[common.db, common.login], help="显示一项设置的值")
    p.add_argument("key", metavar="KEY", help="设置名，如 unit_name")
    p.set_defaults(func=cmd_get)
    p = ss.add_parser("set", parents=[common.db, common.login], help="修改一项设置（管理员；记入审计日志）")
    p.add_argument("key", metavar="KEY", help="设置名，如 report_due_day")
    p.add_argument("value", metavar="VALUE", help="新的值")
    p.set_defaults(func=cmd_set)


def cmd_list(args) -> int:
    from ..cli import open_services, out, out_json
    from ..domain.settings import SCOPE_LABELS, SETTINGS
    from ..services import settings as S

    svc = open_services(args)
    try:
        rows = S.listing(svc)
    finally:
        svc.store.close()
    if args.json:
        out_json([{k: r[k] for k in ("key", "value", "default", "scope")} for r in rows])
        return 0
    for r in rows:
        unit = SETTINGS[r["key"]].unit
        mark = "" if r["set"] else "（默认）"
        out(f"{r['key']}\t{r['label']}\t{r['value']}{unit}{mark}\t{SCOPE_LABELS[r['scope']].split('（')[0]}")
    return 0


def cmd_get(args) -> int:
    from ..cli import open_services, out
    from ..domain.settings import setting
    from ..services import settings as S

    setting(args.key)  # an unknown key is refused before asking for a password
    svc = open_services(args)
    try:
        out(str(S.get(svc, args.key)))
    finally:
        svc.store.close()
    return 0


def cmd_set(args) -> int:
    from ..cli import open_services, out
    from ..domain.settings import setting
    from ..services import settings as S

    s = setting(args.key)
    svc = open_services(args)
    try:
        change = S.change(svc, args.key, args.value)
    finally:
        svc.store.close()
    if change.changed:
        out(f"已修改设置“{s.label}”：{change.old}{s.unit} → {change.new}{s.unit}")
    else:
        out(f"设置“{s.label}”已是 {change.new}{s.unit}，未作修改。")
    return 0
