"""Reading the audit log for people: filters, Chinese labels, export to Excel (read-only).

Sensitive values were masked when the rows were written (``audit.diff_details``); nothing here
edits or deletes a row.
"""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from ..domain import LEDGERS, SUBS
from ..store.schema import audit
from . import audit as A

ACTIONS = {
    "create": "新增", "update": "修改", "delete": "删除", "undo": "撤销", "redo": "重做", "attach": "添加附件",
    "detach": "删除附件", "import": "导入", "export": "导出", "export_full": "导出完整证件号",
    "package_export": "生成数据包", "package_import": "导入数据包", "package_undo": "撤销数据包",
    "package_refused": "拒收数据包", "enrol_request": "申请开通", "enrol_accept": "批准开通",
    "enrol_finish": "完成开通", "enrol_revoke": "吊销开通",
    "login": "登录", "login_failed": "登录失败", "logout": "退出登录", "lock": "锁屏",
    "user_add": "新增用户", "user_passwd": "修改密码", "user_unlock": "解锁用户", "user_disable": "停用用户",
    "user_enable": "启用用户", "user_role": "修改角色", "user_recover": "找回管理员密码", "backup": "备份", "restore": "恢复备份",
    "purge": "按期限清除", "audit_export": "导出审计日志", "settings": "修改设置",
    "export_full_ids": "导出完整证件号", "import_refused": "拒绝导入", "import_undo": "撤销导入", "package_merge": "数据包修改记录",
    "resolve": "处理冲突", "merge": "合并重复记录", "report_full_ids": "打印完整证件号", "report_issue": "报表定稿",
    "evaluation_rubric": "修改考核细则", "evaluation_adjust": "考核加减分",
}


def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


def ledger_label(name: str | None) -> str:
    if not name:
        return ""
    if name in LEDGERS:
        return LEDGERS[name].label
    if name in SUBS:
        return SUBS[name][1].label
    return name


def query(*, action: str | None = None, user: str | None = None, text: str | None = None,
          since: dt.date | dt.datetime | None = None, until: dt.date | dt.datetime | None = None):
    q = sa.select(audit).order_by(audit.c.id.desc())
    if action:
        codes = [k for k, v in ACTIONS.items() if v == action] or [action]
        q = q.where(audit.c.action.in_(codes))
    if user:
        q = q.where(audit.c.user == user)
    if text:
        like = f"%{text}%"
        q = q.where(sa.or_(audit.c.summary.like(like), audit.c.record.like(like), audit.c.details.like(like)))
    if since:
        q = q.where(audit.c.at >= _start(since))
    if until:
        q = q.where(audit.c.at < _start(until) + dt.timedelta(days=1 if not isinstance(until, dt.datetime) else 0))
    return q


def _start(d) -> dt.datetime:
    return d if isinstance(d, dt.datetime) else dt.datetime.combine(d, dt.time())


def entries(svc, *, limit: int | None = 1000, offset: int = 0, **filters) -> list[dict]:
    q = query(**filters)
    if limit:
        q = q.limit(limit).offset(offset)
    with svc.store.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def users_seen(svc) -> list[str]:
    with svc.store.connect() as conn:
        return [u for u in conn.execute(sa.select(audit.c.user).distinct().order_by(audit.c.user)).scalars() if u]


def field_label(table: str | None, name: str) -> str:
    desc = LEDGERS.get(table or "") or (SUBS[table][1] if table in SUBS else None)
    for f in getattr(desc, "fields", ()):
        if f.name == name:
            return f.label
    return {"township": "所属乡镇"}.get(name, name)


def details_text(details: str | None, table: str | None = None) -> str:
    """``{"name": ["王伟", "王小伟"]}`` → ``姓名：王伟 → 王小伟`` (values were masked when written)."""
    if not details:
        return ""
    try:
        data = json.loads(details)
    except ValueError:
        return details
    if not isinstance(data, dict):
        return str(data)
    parts = []
    for k, v in data.items():
        label = field_label(table, k)
        if isinstance(v, list) and len(v) == 2:
            parts.append(f"{label}：{'' if v[0] is None else v[0]} → {'' if v[1] is None else v[1]}")
        else:
            parts.append(f"{label}：{v}")
    return "；".join(parts)


def row_values(e: dict) -> tuple:
    return (f"{e['at']:%Y-%m-%d %H:%M:%S}", e["user"] or "", action_label(e["action"]), ledger_label(e["ledger"]),
            e["record"] or "", e["summary"] or "", details_text(e["details"], e["ledger"]))


def audit_rows(svc, *, action=None, user=None, since=None, until=None, limit=200) -> list[tuple]:
    return [row_values(e) for e in entries(svc, action=action, user=user, since=since, until=until, limit=limit)]


HEADERS = ("时间", "用户", "操作", "台账", "记录编号", "摘要", "详情（敏感值已遮盖）")


def export_xlsx(svc, path, **filters) -> int:
    """Write the (filtered) log to an Excel file; the export itself is audited."""
    svc.require("admin")
    from openpyxl import Workbook

    from ..xlsx_cells import safe_row

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志")
    for i, width in enumerate((20, 10, 12, 10, 38, 50, 60)):
        ws.column_dimensions[chr(65 + i)].width = width
    ws.freeze_panes = "A2"
    ws.append(list(HEADERS))
    n = 0
    for e in entries(svc, limit=None, **filters):
        ws.append(safe_row(ws, list(row_values(e))))
        n += 1
    from ..paths import create_private

    create_private(path)
    wb.save(str(path))
    with svc.store.write(svc.user) as (conn, ctx):
        A.write(conn, user=svc.user, installation=ctx.installation, action="audit_export", at=ctx.now,
                summary=f"导出审计日志 {n} 条")
    return n
