"""首页: the figures the county asks for at a glance, as counts a click opens in the matching
filtered tab, and as charts. The figures come first; pyqtgraph is imported in the background
the first time the page is shown, and the charts are drawn when it is ready."""

from __future__ import annotations

import html
import sys
import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..domain import LEDGERS
from ..services import query as Q
from ..services import stats
from .alive import guard
from .home_data import LIST_LIMIT, gather
from .messages import error_text


class _Importer(QObject):
    """Prepares the charts' libraries once. numpy (no Qt in it) is imported in the background;
    pyqtgraph itself is imported on the UI thread afterwards, because PySide6 creates its
    classes lazily and that is not safe from two threads at once (it crashed when tried)."""

    ready = Signal()

    def __init__(self):
        super().__init__()
        self._started = False

    def start(self) -> None:
        if self._started:
            return
        self._started = True

        def work():
            import numpy  # noqa: F401  (the heavy part of pyqtgraph's import)

            self.ready.emit()

        threading.Thread(target=work, name="ufdesk-import-numpy", daemon=True).start()


_IMPORTER = _Importer()


def link(key: str, text: str) -> str:
    return f"<a href='{html.escape(key)}'>{html.escape(text)}</a>"


class Card(QFrame):
    def __init__(self, title: str, parent=None, *, chart: bool = False):
        super().__init__(parent)
        self.setObjectName("card")
        self.title = QLabel(title, self)
        self.title.setObjectName("cardTitle")
        self.body = QLabel(self)
        self.body.setObjectName("cardBody")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.RichText)
        self.body.setTextInteractionFlags(Qt.LinksAccessibleByMouse | Qt.LinksAccessibleByKeyboard)
        self.chart_box = QVBoxLayout()
        self.chart_box.setContentsMargins(0, 0, 0, 0)
        self.chart = None
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.body)
        lay.addLayout(self.chart_box, 1)
        if not chart:
            lay.addStretch(1)

    def set_chart(self, widget) -> None:
        if self.chart is not None:
            self.chart.setParent(None)
            self.chart.deleteLater()
        self.chart = widget
        self.chart_box.addWidget(widget)


class HomePage(QScrollArea):
    # ledger, filters, label of the condition, township
    open_ledger = Signal(str, dict, str, object)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.data: dict | None = None
        self.links: dict[str, tuple[str, dict, str, object]] = {}
        self._charts_wanted = False
        self._pg_ready = False
        self._stale = True
        self._loading = False
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        page = QWidget(self)
        page.setObjectName("home")
        self.setWidget(page)
        grid = QGridLayout(page)
        grid.setContentsMargins(14, 12, 14, 12)
        grid.setSpacing(12)
        self.heading = QLabel(page)
        self.heading.setObjectName("homeHeading")
        grid.addWidget(self.heading, 0, 0, 1, 3)
        strip = QHBoxLayout()
        self.figures: dict[str, QPushButton] = {}
        for name in LEDGERS:
            b = QPushButton(page)
            b.setObjectName("figure")
            b.setCursor(Qt.PointingHandCursor)
            b.clicked.connect(lambda _c=False, n=name: self.open_ledger.emit(n, {}, "", None))
            self.figures[name] = b
            strip.addWidget(b)
        grid.addLayout(strip, 1, 0, 1, 3)
        self.cards = {
            "kinds": Card("代表人士 · 人士类别（在册）", page, chart=True),
            "party": Card("代表人士 · 政治面貌（在册）", page, chart=True),
            "ages": Card("代表人士 · 年龄结构（在册）", page, chart=True),
            "proposals": Card("提案建议 · 办理状态", page, chart=True),
            "issues": Card("宗教场所 · 问题整改", page),
            "coverage": Card("统战干部 · 配备情况", page),
            "reported": Card("乡镇数据报送 · 本月", page),
            "activities": Card("活动台账 · 近12个月", page, chart=True),
            "tasks": Card("重点任务 · 推进情况", page),
        }
        places = [("kinds", 2, 0, 1), ("party", 2, 1, 1), ("ages", 2, 2, 1), ("proposals", 3, 0, 1),
                  ("issues", 3, 1, 1), ("coverage", 3, 2, 1), ("reported", 4, 0, 1), ("activities", 4, 1, 2),
                  ("tasks", 5, 0, 3)]
        for key, r, c, span in places:
            grid.addWidget(self.cards[key], r, c, 1, span)
            self.cards[key].body.linkActivated.connect(self._clicked)
        for c in range(3):
            grid.setColumnStretch(c, 1)
        grid.setRowStretch(6, 1)
        self._timer = QTimer(self, singleShot=True, interval=400, timeout=self.reload)
        ctx.changed.connect(self._changed)
        self.heading.setText("正在统计…")

    # -- data ---------------------------------------------------------------------------------
    def _changed(self, _ledger: str) -> None:
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()
        if not self._charts_wanted:
            self._charts_wanted = True
            QTimer.singleShot(200, self._import_charts)

    def reload(self) -> None:
        if self._loading:
            self._timer.start()
            return
        self._loading = True
        self._stale = False
        self.ctx.worker.submit(gather, self.ctx.services, on_done=guard(self, self._show),
                               on_error=guard(self, self._failed))

    def _failed(self, exc) -> None:
        self._loading = False
        self.heading.setText(f"统计失败：{error_text(exc)}")

    def _show(self, data: dict) -> None:
        self._loading = False
        self.data = data
        self.links.clear()
        svc = self.ctx.services
        who = svc.township_name(svc.township) if svc.township else f"{svc.county_name}委统战部"
        self.heading.setText(f"{who}　·　{data['today']:%Y年%m月%d日}")
        for name, lg in LEDGERS.items():
            self.figures[name].setText(f"{lg.label}\n{data['totals'][name]} {lg.unit}")
        self._texts(data)
        if self._pg_ready:
            self._draw_charts()

    def _add(self, key: str, ledger: str, filters: dict, label: str = "", township=None) -> str:
        self.links[key] = (ledger, filters, label, township)
        return key

    def _texts(self, d: dict) -> None:
        reps = sum(n for _c, _n, n in d["party"])
        present = d["present_filter"]
        self.cards["kinds"].body.setText(f"在册 {link(self._add('reps', 'representatives', present, '在册（截至今天）'), f'{reps} 人')}；"
                                         "一人可属多个类别。")
        self.cards["party"].body.setText(
            "民主党派成员 " + link(self._add("dem", "representatives", {"party": ("in", tuple(f"{i:02d}" for i in range(4, 12))),
                                                                       **present}, "政治面貌：民主党派（在册）"),
                                  f"{sum(n for c, _n, n in d['party'] if c and '04' <= c <= '11')} 人"))
        self.cards["ages"].body.setText("点击柱条查看该年龄段的人员。")
        self._proposals_text(d)
        self._issues_text(d)
        self._coverage_text(d)
        self._reported_text(d)
        self._tasks_text(d)
        total = sum(n for _m, n in d["activities"])
        self.cards["activities"].body.setText(f"近12个月共 {total} 次活动；点击柱条查看当月活动。")
        for key in ("kinds", "party", "ages", "proposals", "activities"):
            if self.cards[key].chart is None:
                placeholder = QLabel("图表加载中…")
                placeholder.setObjectName("hint")
                placeholder.setMinimumHeight(180)
                placeholder.setAlignment(Qt.AlignCenter)
                self.cards[key].set_chart(placeholder)

    def _proposals_text(self, d: dict) -> None:
        overdue = stats.overdue_filter(d["today"])
        text = "超期未办结（交办满3个月）：" + link(self._add("overdue", "proposals", overdue, "超期未办结（交办满3个月）"),
                                              f"{d['overdue']} 件")
        self.cards["proposals"].body.setText(text)
        self.cards["proposals"].body.setProperty("alert", d["overdue"] > 0)

    def _issues_text(self, d: dict) -> None:
        issues = d["issues"]
        sites = sorted({i["site_uuid"] for i in issues})
        parts = [f"整改中的问题 {d['open_issues']} 条"]
        if issues:
            parts.append("，其中超过整改时限 " + link(self._add("late", "sites", {"uuid": ("in", tuple(sites))},
                                                            "有超期未整改问题的场所"), f"{len(issues)} 条") + "：")
            rows = [f"<br>· {html.escape(i['site_name'])}：{html.escape((i['issue'] or '')[:18])}"
                    f"（时限 {i['deadline']:%Y-%m-%d}）" for i in issues[:LIST_LIMIT]]
            if len(issues) > LIST_LIMIT:
                rows.append(f"<br>……等 {len(issues)} 条")
            parts += rows
        else:
            parts.append("，没有超过整改时限的问题。")
        self.cards["issues"].body.setText("".join(parts))

    def _coverage_text(self, d: dict) -> None:
        missing = d["no_committee"]
        own = self.ctx.services.township
        if own:  # a township's PC: its own committee member, its own villages
            name = html.escape(self.ctx.services.township_name(own))
            parts = [f"{name}统战委员：" + (link(self._add(f"tw:{own}", "cadres", {}, "", own), "尚未配备")
                                            if missing else "已配备")]
        else:
            parts = [f"缺统战委员的乡镇：{len(missing)} / {d['townships']} 个"]
        if missing and not own:
            parts.append("：" + "、".join(link(self._add(f"tw:{c}", "cadres", {}, "", c), n) for c, n in missing[:LIST_LIMIT]))
            if len(missing) > LIST_LIMIT:
                parts.append(" 等")
        villages = d["no_liaison"]
        parts.append(f"<br>缺统战联络员的村(社区)：{len(villages)} / {d['villages']} 个")
        if villages:
            parts.append("<br>" + "、".join(html.escape(f"{tw}{n}") for _c, tw, n in villages[:LIST_LIMIT // 2]))
            if len(villages) > LIST_LIMIT // 2:
                parts.append(" 等")
        self.cards["coverage"].body.setText("".join(parts))

    def _tasks_text(self, d: dict) -> None:
        f = d["tasks"]
        y, m = f["month"].split("-")
        when = f"截至{int(y)}年{int(m)}月底"
        if not f["total"]:
            self.cards["tasks"].body.setText(f"{y}年度还没有重点任务（“重点任务”页新增，或从任务分解表导入）。")
            return

        def fig(key: str, label: str, n: int) -> str:
            uuids = tuple(f["uuids"][key])
            return link(self._add(f"tasks:{key}", "tasks", {"uuid": ("in", uuids)}, f"重点任务：{when}{label}"), f"{label} {n} 项")

        parts = [f"{y}年度 {f['total']} 项，{when}：", fig("done", "已完成", f["done"]), "，",
                 fig("in_progress", "推进中", f["in_progress"]), "，", fig("late", "滞后", f["late_count"])]
        if f["late"]:
            parts.append("<br>滞后：" + "；".join(html.escape(f"{x['content'][:18]}（{x['unit']}）")
                                                for x in f["late"][:LIST_LIMIT // 2]))
            if len(f["late"]) > LIST_LIMIT // 2:
                parts.append(" 等")
        if f["not_reported"]:
            parts.append(f"<br>{int(m)}月未填报进展：" + "、".join(
                link(self._add(f"silent:{n}", "tasks", {"uuid": ("in", tuple(x["uuids"]))}, f"{x['unit']}{int(m)}月未填报进展"),
                     f"{x['unit']} {x['count']} 项") for n, x in enumerate(f["not_reported"][:LIST_LIMIT])))
        self.cards["tasks"].body.setText("".join(parts))
        self.cards["tasks"].body.setProperty("alert", f["late_count"] > 0)

    def _reported_text(self, d: dict) -> None:
        card = self.cards["reported"]
        if d["unreported"] is None:
            card.body.setText("本机为乡镇安装，数据报送情况在县委统战部查看。")
            return
        missing = d["unreported"]
        month = d["month"].replace("-", "年") + "月"
        if not missing:
            card.body.setText(f"{month}：各乡镇数据均已报送。")
            return
        names = "、".join(html.escape(n) for _c, n in missing[:LIST_LIMIT * 2])
        more = f" 等 {len(missing)} 个" if len(missing) > LIST_LIMIT * 2 else ""
        card.body.setText(f"{month}尚未报送的乡镇（{len(missing)} / {d['townships']} 个）：<br>{names}{more}"
                          "<br><span class='hint'>乡镇数据包导入后即视为已报送（菜单“数据交换”）。</span>")

    def _clicked(self, key: str) -> None:
        if key in self.links:
            ledger, filters, label, township = self.links[key]
            self.open_ledger.emit(ledger, filters, label, township)

    # -- charts -------------------------------------------------------------------------------
    def _import_charts(self) -> None:
        if "pyqtgraph" in sys.modules or "numpy" in sys.modules:  # prepared earlier (by another window)
            self._charts_ready()
            return
        _IMPORTER.ready.connect(self._charts_ready, Qt.QueuedConnection)
        _IMPORTER.start()

    def _charts_ready(self) -> None:
        import pyqtgraph  # noqa: F401  (on the UI thread: see _Importer)

        self._pg_ready = True
        if self.data is not None:
            self._draw_charts()

    def _draw_charts(self) -> None:
        from .charts import bar_chart

        d = self.data
        today = d["today"]
        present = d["present_filter"]

        def reps(field, label_of):
            def go(key):
                self.open_ledger.emit("representatives", {**present, field: key}, label_of(key) or "在册（截至今天）", None)
            return go

        kinds = [(name, count, code) for code, name, count in d["kinds"]]
        self.cards["kinds"].set_chart(bar_chart(kinds, on_click=reps("kinds", lambda _k: ""), height=230))
        party = [(name, count, code) for code, name, count in d["party"]]
        self.cards["party"].set_chart(bar_chart(party, on_click=reps("party", lambda _k: ""), height=230))

        def age(band):
            value = Q.age_band_filter(band, today) if band != "未填" else None
            self.open_ledger.emit("representatives", {**present, "birth_date": value}, f"年龄：{band}", None)

        self.cards["ages"].set_chart(bar_chart([(b, n, b) for b, n in d["ages"]], horizontal=False, on_click=age,
                                               height=230))
        self.cards["proposals"].set_chart(bar_chart(
            [(name, count, code) for code, name, count in d["proposal_status"]],
            on_click=lambda c: self.open_ledger.emit("proposals", {"status": c}, "", None)))

        def month(m):
            start, end = stats.month_range(m)
            self.open_ledger.emit("activities", {"held_on": ("between", (start, end))}, f"{m} 的活动", None)

        acts = [(m[2:].replace("-", "."), n, m) for m, n in d["activities"]]
        self.cards["activities"].set_chart(bar_chart(acts, horizontal=False, on_click=month))

