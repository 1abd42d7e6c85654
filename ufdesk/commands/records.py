"""``ufdesk records set-field``: 批量修改 from the command line — one field (状态, 所属乡镇, 人士类别)
set on several records, checked, audited, in one transaction."""

from __future__ import annotations

from .xlsx import LEDGER_HELP


def register(sub, common) -> None:
    s = sub.add_parser("records", help="记录的批量操作")
    rs = s.add_subparsers(dest="records_command", metavar="操作", required=True, parser_class=type(s))
    p = rs.add_parser("set-field", parents=[common.db, common.login],
                      help="批量修改：把多条记录的一个字段（状态、所属乡镇、人士类别）设为同一个值")
    p.add_argument("--ledger", required=True, help=LEDGER_HELP)
    p.add_argument("--field", required=True, help="字段：status（状态）、township（所属乡镇）、kinds（人士类别），或中文名")
    p.add_argument("--value", required=True, help="新的值：代码或名称（如 退出、白鹤镇、县直、宗教界人士）")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--add", action="store_true", help="多选字段（人士类别）：加上这个值，保留原有的")
    mode.add_argument("--remove", action="store_true", help="多选字段（人士类别）：去掉这个值")
    p.add_argument("uuids", nargs="+", metavar="UUID", help="要修改的记录（UUID，可写多个）")
    p.set_defaults(func=cmd_set_field)


def field_name(lg, svc, text: str) -> str:
    from ..domain.errors import UfError

    if text in ("township", "所属乡镇", "乡镇"):
        return "township"
    for f in svc.bulk_fields(lg.name):
        if text in (f.name, f.label):
            return f.name
    names = "、".join(["所属乡镇", *(f.label for f in svc.bulk_fields(lg.name))])
    raise UfError(f"{lg.label}不能批量修改“{text}”：可以批量修改的字段是{names}")


def code_value(lg, svc, name: str, text: str) -> str:
    """A code from its code or its name (a township by name, 县直 for the county)."""
    from ..domain.errors import UfError

    if name == "township":
        if text in ("县直", "county"):
            return "county"
        places = dict(svc.townships())
        found = text if text in places else next((c for c, n in places.items() if n == text), None)
        if found is None:
            raise UfError(f"“{text}”不是本县的乡镇（可写乡镇名称、9位代码或“县直”）")
        return found
    f = lg.field(name)
    table = svc.codebook()[f.code].items()
    found = next((c for c, n in table if text in (c, n)), None)
    if found is None:
        raise UfError(f"“{text}”不是{f.label}中的代码或名称")
    return found


def cmd_set_field(args) -> int:
    from ..cli import open_services, out
    from ..domain import ledger

    lg = ledger(args.ledger)
    svc = open_services(args, action="edit")
    try:
        name = field_name(lg, svc, args.field)
        value = code_value(lg, svc, name, args.value)
        mode = "add" if args.add else "remove" if args.remove else "set"
        changes = svc.set_field(lg.name, args.uuids, name, value, mode=mode)
    finally:
        svc.store.close()
    label = "所属乡镇" if name == "township" else lg.field(name).label
    verb = {"add": "加上", "remove": "去掉", "set": "设为"}[mode]
    unchanged = len(set(args.uuids)) - len(changes)
    out(f"已修改 {len(changes)} 条{lg.label}：{label}{verb}“{args.value}”" + (f"（另有 {unchanged} 条原来就是）" if unchanged else "") + "。")
    return 0
