"""Bar charts of the home page (pyqtgraph, imported only when the charts are first built).

A click on a bar calls back with that bar's key, so a chart opens the matching filtered tab
as the counts beside it do.
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel

pg.setConfigOptions(background="w", foreground="#444", antialias=True)

class StillPlot(pg.PlotWidget):
    """A chart that does not zoom: the mouse wheel over it scrolls the page it sits on."""

    def wheelEvent(self, event) -> None:
        from PySide6.QtWidgets import QAbstractScrollArea, QApplication

        area = self.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is None:
            event.ignore()
            return
        QApplication.sendEvent(area.verticalScrollBar(), event)  # the page scrolls, the chart stays
        event.accept()


BAR = QColor("#3b78c2")
BAR_ALERT = QColor("#c8553d")


def bar_chart(items: list[tuple[str, int, object]], *, horizontal: bool = True,
              on_click: Callable[[object], None] | None = None, alert: set | None = None,
              height: int = 220) -> pg.PlotWidget:
    """``items`` = [(label, value, key)]. Horizontal bars read best with long Chinese labels."""
    if not items or not any(v for _l, v, _k in items):
        empty = QLabel("暂无数据")
        empty.setObjectName("hint")
        empty.setAlignment(Qt.AlignCenter)
        empty.setMinimumHeight(height // 2)
        return empty
    w = StillPlot()
    w.setMinimumHeight(height)
    w.setMenuEnabled(False)
    w.setMouseEnabled(False, False)
    w.hideButtons()
    plot = w.getPlotItem()
    plot.showGrid(x=horizontal, y=not horizontal, alpha=0.15)
    n = len(items)
    labels = [(i, lab) for i, (lab, _v, _k) in enumerate(items)]
    values = [v for _l, v, _k in items]
    brushes = [BAR_ALERT if alert and k in alert else BAR for _l, _v, k in items]
    font = QFont(w.font())
    font.setPointSizeF(max(font.pointSizeF() - 1, 8))
    if horizontal:
        order = list(range(n))[::-1]  # first item on top
        bars = pg.BarGraphItem(x0=0, y=order, height=0.66, width=values, brushes=brushes, pens=[None] * n)
        axis = plot.getAxis("left")
        axis.setTicks([[(order[i], lab) for i, lab in labels]])
        plot.getAxis("bottom").setStyle(tickFont=font)
        plot.setYRange(-0.6, n - 0.4, padding=0)
        plot.setXRange(0, max(values or [1]) * 1.18 or 1, padding=0)
        for i, v in enumerate(values):
            t = pg.TextItem(str(v), color="#333", anchor=(0, 0.5))
            t.setFont(font)
            t.setPos(v, order[i])
            plot.addItem(t)
    else:
        bars = pg.BarGraphItem(x=list(range(n)), y0=0, width=0.66, height=values, brushes=brushes, pens=[None] * n)
        axis = plot.getAxis("bottom")
        axis.setTicks([labels])
        plot.getAxis("left").setStyle(tickFont=font)
        plot.setXRange(-0.6, n - 0.4, padding=0)
        plot.setYRange(0, max(values or [1]) * 1.2 or 1, padding=0)
        for i, v in enumerate(values):
            t = pg.TextItem(str(v), color="#333", anchor=(0.5, 1))
            t.setFont(font)
            t.setPos(i, v)
            plot.addItem(t)
    axis.setStyle(tickFont=font, tickLength=0)
    plot.addItem(bars)
    if on_click is not None:
        w.setCursor(Qt.PointingHandCursor)

        def clicked(event):
            p = plot.vb.mapSceneToView(event.scenePos())
            i = round(p.y()) if horizontal else round(p.x())
            idx = (n - 1 - i) if horizontal else i
            if 0 <= idx < n:
                on_click(items[idx][2])

        w.scene().sigMouseClicked.connect(clicked)
    w.setToolTip("点击柱条可查看对应记录" if on_click else "")
    return w
