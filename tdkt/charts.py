"""Server-rendered bar charts (issue 13): SVG drawn here, no script, printable, allowed by the strict CSP (no inline
style: the colours are classes of ``static/css/app.css``). Each chart carries its numbers, shown as a table under it and
downloadable as Excel through the one exporter (:class:`ChartExporter`, the view ``chart_export``).

An app registers a chart builder ``builder(user) -> BarChart | None`` with :func:`register_chart` (``None``: the user
may not see it); the home page and the Excel export ask the same builder, so the numbers cannot differ.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .exports import Column, ListExporter

#: The drawing: label column, bar area, value column, in SVG user units (the SVG scales to its box).
LABEL_W, BAR_W, VALUE_W, ROW_H, BAR_H, PAD = 250, 330, 110, 26, 16, 6
LABEL_CHARS = 34


@dataclass
class BarChart:
    key: str
    title: str
    label_header: str
    value_header: str
    items: list = field(default_factory=list)  # [(label, value)] in the order drawn
    kind: str = "int"  # int | pct | money
    note: str = ""
    limit: float | None = None  # a line drawn at this value (e.g. the 40 % of R1)

    def formatted(self, value):
        if self.kind == "pct":
            return number_format(round(float(value), 1), decimal_pos=1) + " %"
        if self.kind == "money":
            return number_format(int(value), force_grouping=True)
        return number_format(int(value), force_grouping=True)

    @property
    def rows(self):
        return [(label, self.formatted(value)) for label, value in self.items]

    @property
    def total(self):
        return sum(Decimal(str(v)) for _l, v in self.items) if self.kind != "pct" else None

    @property
    def empty(self):
        return not self.items

    def svg(self):
        """The chart as an ``<svg>`` element: a title for screen readers, one labelled bar per item."""
        items = self.items
        top = max([float(v) for _l, v in items] + [float(self.limit or 0), 0.0])
        if self.kind == "pct":
            top = max(top, 100.0) if self.limit is None else max(top, float(self.limit) * 1.25)
        top = top or 1.0
        height = PAD * 2 + ROW_H * max(len(items), 1)
        width = LABEL_W + BAR_W + VALUE_W
        uid = f"chart-{self.key}"
        parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{uid}-t" '
                 f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
                 f'<title id="{uid}-t">{escape(self.title)}</title>']
        for index, (label, value) in enumerate(items):
            y = PAD + index * ROW_H
            text = str(label)
            short = text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"
            bar = max(round(BAR_W * float(value) / top, 1), 0)
            parts.append(f'<g class="chart-row"><title>{escape(text)}: {escape(self.formatted(value))}</title>'
                         f'<text class="chart-label" x="{LABEL_W - 8}" y="{y + ROW_H / 2 + 4}" text-anchor="end">{escape(short)}</text>'
                         f'<rect class="chart-bar" x="{LABEL_W}" y="{y + (ROW_H - BAR_H) / 2}" width="{bar}" height="{BAR_H}"></rect>'
                         f'<text class="chart-value" x="{LABEL_W + bar + 6}" y="{y + ROW_H / 2 + 4}">{escape(self.formatted(value))}</text></g>')
        if self.limit is not None and items:
            x = LABEL_W + round(BAR_W * float(self.limit) / top, 1)
            parts.append(f'<line class="chart-limit" x1="{x}" x2="{x}" y1="{PAD / 2}" y2="{height - PAD / 2}"></line>')
        parts.append("</svg>")
        return mark_safe("".join(parts))


class ChartExporter(ListExporter):
    """A chart's numbers as a two-column list (Excel, or PDF through the same interface)."""

    landscape = False

    def __init__(self, chart):
        self.chart = chart
        self.title = chart.title
        self.subtitle = chart.note
        self.filename = f"bieu-do-{chart.key}"
        kind = {"pct": "number", "money": "money"}.get(chart.kind, "int")
        self.columns = (Column(chart.label_header, 50), Column(chart.value_header, 18, kind))

    def rows(self):
        for label, value in self.chart.items:
            yield (str(label), round(float(value), 1) if self.chart.kind == "pct" else int(value))

    def count(self):
        return len(self.chart.items)


_builders = {}


def register_chart(key):
    """Decorator: ``builder(user) -> BarChart | None`` under ``key`` (idempotent)."""
    def decorate(builder):
        _builders[key] = builder
        return builder
    return decorate


def chart_for(key, user):
    """The chart ``key`` as ``user`` sees it, or ``None`` (unknown, or not theirs to see)."""
    builder = _builders.get(key)
    return builder(user) if builder is not None else None
