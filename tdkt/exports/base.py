"""The exporter interface: what every list the office downloads declares (columns, rows, sections),
and the registry of named exports that the request or the task worker builds from the user's scope.

The renderers (:mod:`tdkt.exports.xlsx`, :mod:`tdkt.exports.pdf`) read exporters through this interface
only. Rows are plain tuples of Python values (str, int, Decimal, float, date, None); an exporter reads
only the columns it prints (``values_list`` with exactly the joins it needs, ``iterator()``) and maps
choice labels through :func:`choice_labels`, so both renderers stay at the speed of their library.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.module_loading import autodiscover_modules

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"
ROW_CHUNK = 2000  # rows fetched per round trip by the exporters' iterators


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 18  # characters in Excel; in PDF a fallback weight when there is no row to measure
    kind: str = "text"  # text | int | date | money | number


@dataclass
class Section:
    """One table of an export: an optional heading ("I. CÁ NHÂN"), its columns and rows."""

    heading: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    numbered: bool = True  # add the STT (số thứ tự) column every official list has
    footer: Sequence | None = None  # a totals row, written in bold, not numbered

    @property
    def all_columns(self):
        return (Column("STT", 7, "int"), *self.columns) if self.numbered else tuple(self.columns)

    def all_rows(self):
        if not self.numbered:
            yield from self.rows
            return
        for index, row in enumerate(self.rows, start=1):
            yield (index, *row)

    def all_footer(self):
        if self.footer is None:
            return None
        return ("", *self.footer) if self.numbered else tuple(self.footer)


class ListExporter:
    """Subclass and set ``title``/``filename``/``columns`` and implement ``rows()`` for a single
    table, or override ``sections()`` for a document made of several tables."""

    title: str = ""
    subtitle: str = ""
    filename: str = "danh-sach"
    columns: Sequence[Column] = ()
    landscape: bool = True
    sheet_per_section: bool = False  # XLSX: each section on its own sheet, named after its heading

    def rows(self) -> Iterable[Sequence]:
        raise NotImplementedError

    def sections(self) -> Iterable[Section]:
        yield Section("", self.columns, self.rows())

    def count(self) -> int | None:
        """Number of rows when cheap to know (decides whether to export in the background)."""
        queryset = getattr(self, "queryset", None)
        return queryset.count() if queryset is not None else None


def choice_labels(choices):
    """``{value: label}`` of a TextChoices/IntegerChoices (or a list of pairs), the labels translated once
    in the active language: an export maps each row's code through this dict instead of calling
    ``get_FOO_display()`` per row."""
    pairs = choices.choices if hasattr(choices, "choices") else choices
    return {value: str(label) for value, label in pairs}


# ---------------------------------------------------------------- named exports, run now or by the worker

EXPORTS = {}


def register_export(key, *, permission=None):
    """Register ``builder(user, params) -> ListExporter`` under ``key``.

    The builder starts from the user's scoping selectors, so the same key gives the same rows whether
    the export runs in the request or later in the task worker (``manage.py db_worker``).
    """

    def decorate(builder):
        EXPORTS[key] = (builder, permission)
        return builder

    return decorate


def build_export(key, user, params):
    if key not in EXPORTS:
        autodiscover_modules("exports")  # the worker process has not imported the apps' exports yet
    builder, permission = EXPORTS[key]
    if permission and not user.has_perm(permission):
        raise PermissionDenied
    return builder(user, params)


def background_threshold(fmt):
    """Above this many rows an export goes to the task worker instead of holding the request."""
    return settings.TDKT_EXPORT_BACKGROUND_ROWS["pdf" if fmt == "pdf" else "xlsx"]
