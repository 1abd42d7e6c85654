"""Commands for enrolment (per-installation keys certified by the county): ``enrol request``,
``enrol accept``, ``enrol finish``, ``enrol list``, ``enrol revoke``.

The exchange passphrase unlocks (or, on first use, seals) this installation's private keys; it
comes from ``--passphrase-file``, ``UFDESK_PASSPHRASE`` or a prompt, as for packages.
"""

from __future__ import annotations

import json


def register(sub, common) -> None:
    s = sub.add_parser("enrol", help="开通：本机密钥与县里的认证（数据交换的身份）")
    es = s.add_subparsers(dest="enrol_command", metavar="操作", required=True, parser_class=type(s))

    p = es.add_parser("request", parents=[common.db, common.login], help="乡镇：生成密钥和开通申请")
    p.add_argument("--out", required=True, help="开通申请文件（REQ.ufenrol），或U盘上的文件夹")
    p.add_argument("--passphrase-file", help="从该文件第一行读取交换口令")
    p.set_defaults(func=cmd_request)

    p = es.add_parser("accept", parents=[common.db, common.login], help="县里：批准乡镇的开通申请")
    p.add_argument("request", metavar="REQ", help="乡镇的开通申请（.ufenrol）")
    p.add_argument("--out", required=True, help="开通批复文件（GRANT.ufenrol），或U盘上的文件夹")
    p.add_argument("--passphrase-file", help="从该文件第一行读取交换口令")
    p.set_defaults(func=cmd_accept)

    p = es.add_parser("finish", parents=[common.db, common.login], help="乡镇：导入县里的开通批复")
    p.add_argument("grant", metavar="GRANT", help="县里的开通批复（.ufenrol）")
    p.add_argument("--passphrase-file", help="从该文件第一行读取交换口令")
    p.set_defaults(func=cmd_finish)

    p = es.add_parser("list", parents=[common.db, common.login], help="本机知道的各安装及其指纹")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_list)

    p = es.add_parser("revoke", parents=[common.db, common.login], help="县里：吊销某乡镇的开通")
    p.add_argument("code", metavar="CODE", help="乡镇代码（或安装编号）")
    p.add_argument("--passphrase-file", help="从该文件第一行读取交换口令")
    p.set_defaults(func=cmd_revoke)


def _svc(args, action="admin"):
    from ..cli import open_services

    return open_services(args, action=action)


def _target(path: str, default: str):
    from pathlib import Path

    p = Path(path)
    return p / default if p.is_dir() else p


def cmd_request(args) -> int:
    from ..cli import out
    from ..exchange import enrol
    from .package import passphrase

    svc = _svc(args)
    phrase = passphrase(args, confirm=True)
    inst = svc.store.installation
    dest, res = enrol.request(svc.store, phrase, _target(args.out, f"开通申请_{res_name(svc.store)}{enrol.SUFFIX}"),
                              user=svc.user)
    out(f"已生成开通申请 {dest}（{res.name}，安装编号 {inst['id']}）。")
    out(f"本机指纹：{res.fingerprint}")
    out("请把申请文件交给县委统战部，并在电话中与县里核对上面的指纹。")
    return 0


def res_name(store) -> str:
    return store.township_name(store.township) if store.township else "县委统战部"


def cmd_accept(args) -> int:
    from ..cli import out
    from ..exchange import enrol
    from .package import passphrase

    svc = _svc(args)
    body = enrol.read_request(svc.store, args.request)
    phrase = passphrase(args)
    name = svc.store.township_name(body["township"])
    dest, res = enrol.accept(svc.store, args.request, phrase, _target(args.out, f"开通批复_{name}{enrol.SUFFIX}"),
                             user=svc.user)
    for m in res.messages:
        out(m)
    out(f"已批准{res.name}开通，批复写入 {dest}。")
    out(f"{res.name}的指纹：{res.fingerprint}（请与乡镇电话核对，不一致时立即吊销：ufdesk enrol revoke）")
    out(f"本机（县委统战部）指纹：{res.own_fingerprint}（乡镇导入批复时核对）")
    return 0


def cmd_finish(args) -> int:
    from ..cli import out
    from ..exchange import enrol
    from .package import passphrase

    svc = _svc(args)
    res = enrol.finish(svc.store, args.grant, passphrase(args), user=svc.user)
    out(f"{res.name}已完成开通。")
    out(f"县委统战部指纹：{res.fingerprint}（请与县里电话核对，不一致时不要交换数据，并告知县里）")
    out(f"本机指纹：{res.own_fingerprint}")
    return 0


def cmd_list(args) -> int:
    from ..cli import out
    from ..exchange import enrol

    svc = _svc(args, "read")
    rows = enrol.listing(svc.store)
    if args.json:
        out(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    if not rows:
        out("本机还没有开通（ufdesk enrol request / accept）。")
        return 0
    for r in rows:
        mark = "（本机）" if r["this"] else ""
        out(f"{r['name']}{mark}\t{r['status_text']}\t指纹 {r['fingerprint']}\t安装编号 {r['installation']}")
    return 0


def cmd_revoke(args) -> int:
    from ..cli import out
    from ..exchange import enrol
    from .package import passphrase

    svc = _svc(args)
    res = enrol.revoke(svc.store, args.code, passphrase(args), user=svc.user)
    out(f"已吊销{res.name}的开通（指纹 {res.fingerprint}）。")
    for m in res.messages:
        out(m)
    return 0
