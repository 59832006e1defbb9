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
        """The chart: one row per item — its label (HTML text, so it wraps and stays readable on a phone), its bar (an
        ``<svg>`` scaled to the row's width) and its value; ``limit`` is drawn as a dashed line across the bars. The
        whole is an image for screen readers, named by the title; the numbers are in the table under it."""
        top = max([float(v) for _l, v in self.items] + [float(self.limit or 0), 0.0])
        if self.kind == "pct":
            top = max(top, 100.0) if self.limit is None else max(top, float(self.limit) * 1.25)
        top = top or 1.0
        limit = None if self.limit is None else round(100 * float(self.limit) / top, 2)
        parts = [f'<div class="chart" role="img" aria-label="{escape(self.title)}">']
        for label, value in self.items:
            width = max(round(100 * float(value) / top, 2), 0)
            text = escape(self.formatted(value))
            line = (f'<line class="chart-limit" x1="{limit}" x2="{limit}" y1="0" y2="10" vector-effect="non-scaling-stroke"></line>'
                    if limit is not None else "")
            parts.append(f'<span class="chart-label">{escape(label)}</span>'
                         f'<svg class="chart-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" '
                         f'xmlns="http://www.w3.org/2000/svg"><rect class="chart-bar" x="0" y="1" width="{width}" height="8"></rect>'
                         f'{line}</svg><span class="chart-value">{text}</span>')
        parts.append("</div>")
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
