"""What an official document is made of (Nghị định 30/2020, Phụ lục I), as plain data.

A feature builds a :class:`Document` from its records; :func:`tdkt.documents.render_pdf` and
:func:`tdkt.documents.render_docx` lay out the same data, so the PDF and the Word file never disagree.
Every text is NFC-normalised when the document is built (names typed on macOS or pasted from Excel
arrive in NFD and would print as base letters plus loose marks).
"""

import datetime
from dataclasses import dataclass, field, fields, is_dataclass

from ..text import nfc, nfc_multiline, ngay_thang_nam

KINDS = ("QUYẾT ĐỊNH", "TỜ TRÌNH", "BIÊN BẢN", "DANH SÁCH", "BÁO CÁO", "GIẤY KHEN")
PARAGRAPH_STYLES = ("plain", "center", "bold", "italic", "heading", "note")  # note: centred italic ("(Kèm theo …)")
BLANK_NUMBER = "     "  # a draft: "Số:      /QĐ-SKHCN", the number written in by hand when it is signed


@dataclass
class Issuer:
    """Who issues: the parent body (UBND TỈNH HƯNG YÊN) and the issuing body under it; a unit's own
    documents have the unit as ``name`` and the Sở as ``parent_name``. ``place`` heads the date line."""

    parent_name: str
    name: str
    place: str = ""


@dataclass
class Paragraph:
    text: str
    style: str = "plain"

    def __post_init__(self):
        if self.style not in PARAGRAPH_STYLES:
            raise ValueError(f"unknown paragraph style {self.style!r}")


@dataclass
class Article:
    """"Điều 1. …": the label in bold, then the text (line breaks kept as separate paragraphs)."""

    label: str
    text: str


@dataclass
class Table:
    """A bordered table: header cells, rows of values, an optional bold totals row. ``align`` per column:
    "left", "center" or "right" (default: numbers right, the rest left)."""

    columns: list
    rows: list
    totals: list | None = None
    widths: list | None = None  # relative weights, one per column
    align: list | None = None

    def alignment(self, index, value=None):
        if self.align and index < len(self.align):
            return self.align[index]
        return "right" if isinstance(value, (int, float)) and not isinstance(value, bool) else "left"


@dataclass
class Signer:
    """A signature block: authority line ("KT. GIÁM ĐỐC", "TM. HỘI ĐỒNG", "THƯ KÝ"), position under it
    ("PHÓ GIÁM ĐỐC", may be blank) and the name (no academic titles)."""

    authority: str
    position: str = ""
    name: str = ""


@dataclass
class Annex:
    """A phụ lục in the same file: its own page numbering. ``label`` "I", "II" when there are several."""

    title: str
    reference: str = ""  # "(Kèm theo Quyết định số …/QĐ-… ngày … của …)"
    table: Table | None = None
    label: str = ""
    body: list = field(default_factory=list)  # paragraphs before the table
    landscape: bool = False


@dataclass
class Document:
    kind: str
    subject: str
    issuer: Issuer
    number: str = ""  # "05/QĐ-SKHCN"; a draft keeps only the symbol: "/QĐ-SKHCN"
    date: datetime.date | None = None
    show_place_date: bool = True  # minutes: False (Mẫu 1.9 has no place-and-date line)
    authority: str = ""  # "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ", centred bold before the căn cứ
    bases: list = field(default_factory=list)  # căn cứ, each printed with ";" and the last with "."
    body: list = field(default_factory=list)  # Paragraph | Article | Table
    signers: list = field(default_factory=list)
    recipients: list = field(default_factory=list)
    annexes: list = field(default_factory=list)
    title: str = ""  # the file's metadata title; defaults to kind + subject

    def __post_init__(self):
        _normalise(self)

    # ------------------------------------------------------------ the header's computed lines

    @property
    def number_line(self):
        """ "Số: 05/QĐ-SKHCN"; a blank number leaves room to write it in: "Số:      /QĐ-SKHCN"."""
        number = self.number.strip()
        if not number:
            return f"Số:{BLANK_NUMBER}"
        if number.startswith("/"):
            return f"Số:{BLANK_NUMBER}{number}"
        return f"Số: {number}"

    @property
    def place_date(self):
        """ "Hưng Yên, ngày 05 tháng 01 năm 2026"; undated: "Hưng Yên, ngày     tháng     năm 20…"."""
        place = self.issuer.place
        if self.date is None:
            text = "ngày      tháng      năm      "
            return f"{place}, {text}" if place else text
        return ngay_thang_nam(self.date, place or None)

    @property
    def bases_lines(self):
        """Each căn cứ ends with ";" and the last with "." whatever was typed."""
        lines = [b.rstrip().rstrip(";.,").rstrip() for b in self.bases if b and b.strip()]
        return [line + ("." if i == len(lines) - 1 else ";") for i, line in enumerate(lines)]

    @property
    def recipient_lines(self):
        """ "- …;" each, the last "- …." (usually "- Lưu: VT, ….")."""
        lines = [r.strip().lstrip("-").strip().rstrip(";.,").rstrip() for r in self.recipients if r and r.strip()]
        return [f"- {line}" + ("." if i == len(lines) - 1 else ";") for i, line in enumerate(lines)]

    @property
    def meta_title(self):
        return self.title or f"{self.kind.capitalize()} {self.subject}".strip()


def _normalise(obj):
    """NFC every string of ``obj`` (a dataclass), recursively through lists and nested dataclasses."""
    for f in fields(obj):
        setattr(obj, f.name, _nfc_value(getattr(obj, f.name)))


def _nfc_value(value):
    if isinstance(value, str):
        return nfc_multiline(value) if "\n" in value else nfc(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_nfc_value(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        _normalise(value)
        return value
    return value
