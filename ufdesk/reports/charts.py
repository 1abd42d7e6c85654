"""Small charts drawn with reportlab.graphics (vector, printed crisp; no matplotlib)."""

from __future__ import annotations

from ..services.stats import shares
from .fonts import font

GREYS = ((0.20, 0.20, 0.20), (0.45, 0.45, 0.45), (0.65, 0.65, 0.65), (0.82, 0.82, 0.82), (0.33, 0.33, 0.33),
         (0.55, 0.55, 0.55), (0.74, 0.74, 0.74), (0.90, 0.90, 0.90))
ACCENT = (0.62, 0.12, 0.12)  # the one colour: a dark red that still prints as a dark grey


def bar(labels: list[str], values: list[float], *, width: float, height: float = 150, title: str = ""):
    """A vertical bar chart with the value above each bar."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import String
    from reportlab.lib import colors

    d = _drawing(width, height)
    c = VerticalBarChart()
    c.x, c.y, c.width, c.height = 36, 42, width - 50, height - 64
    c.data = [list(values) or [0]]
    c.categoryAxis.categoryNames = [str(x) for x in labels] or [""]
    c.categoryAxis.labels.fontName = font("song")
    c.categoryAxis.labels.fontSize = 7 if len(labels) > 8 else 8
    c.categoryAxis.labels.angle = 30 if len(labels) > 6 else 0
    c.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 6 else "n"
    c.valueAxis.labels.fontName = font("song")
    c.valueAxis.labels.fontSize = 7
    c.valueAxis.valueMin = 0
    top = max(values) if values else 0
    c.valueAxis.valueMax = max(top * 1.15, 5)
    c.valueAxis.valueStep = _step(c.valueAxis.valueMax)
    c.bars[0].fillColor = colors.Color(*ACCENT)
    c.bars[0].strokeColor = None
    c.barLabelFormat = "%d"
    c.barLabels.fontName = font("song")
    c.barLabels.fontSize = 7
    c.barLabels.nudge = 6
    d.add(c)
    if title:
        d.add(String(width / 2, height - 12, title, fontName=font("hei"), fontSize=10, textAnchor="middle"))
    return d


def pie(labels: list[str], values: list[float], *, width: float, height: float = 150, title: str = ""):
    """A pie chart in greys with a legend giving each share's count and percentage."""
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.piecharts import Pie
    from reportlab.graphics.shapes import String
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    d = _drawing(width, height)
    nonzero = [v for v in values if v] or [0]
    shown = [lab for lab, v in zip(labels, values, strict=False) if v] or ["无"]
    pct = shares(nonzero)  # as the table beside it: largest remainder, adding up to 100.0%
    texts = [f"{lab}  {v}（{pct[i]}）" for i, (lab, v) in enumerate(zip(shown, nonzero, strict=False))]
    # The legend is measured, and the pie sized to leave it room: pie, gap, swatch, text and
    # a margin all inside the drawing, so no legend runs into the page margin.
    name, fs, swatch, gap, edge = font("song"), 8.0, 7, 5, 4
    while True:
        text_w = max(stringWidth(t, name, fs) for t in texts)
        legend_w = swatch + gap + text_w
        size = min(height - 40, width - 20 - 16 - legend_w - edge)
        if size >= 60 or fs <= 6:
            break
        fs -= 0.5
    size = max(size, 40)
    p = Pie()
    p.x, p.y, p.width, p.height = 20, (height - 20 - size) / 2, size, size
    p.data = [v for v in values if v] or [1]
    p.labels = None
    p.slices.strokeColor = colors.white
    p.slices.strokeWidth = 0.5
    for i in range(len(p.data)):
        p.slices[i].fillColor = colors.Color(*(ACCENT if i == 0 else GREYS[i % len(GREYS)]))
    d.add(p)
    lg = Legend()
    lg.x, lg.y = p.x + size + 16, height - 28
    lg.fontName, lg.fontSize = name, fs
    lg.alignment = "right"
    lg.columnMaximum = 12
    lg.dx = lg.dy = swatch
    lg.dxTextSpace = gap
    lg.deltay = min(14, (height - 36) / max(len(shown), 1))  # the legend stays inside the drawing
    lg.colorNamePairs = [(p.slices[i].fillColor, t) for i, t in enumerate(texts)]
    d.add(lg)
    if title:
        d.add(String(width / 2, height - 12, title, fontName=font("hei"), fontSize=10, textAnchor="middle"))
    return d


def _step(top: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 6:
            return step
    return 10000


def _drawing(width: float, height: float):
    """A Drawing whose initial font is ours: otherwise the PDF names Helvetica, unembedded."""
    from reportlab.graphics.shapes import Drawing

    d = Drawing(width, height)
    d.initialFontName = font("song")
    d.initialFontSize = 8
    return d
