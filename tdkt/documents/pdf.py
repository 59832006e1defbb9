"""PDF of an official document (:class:`~tdkt.documents.model.Document`) through WeasyPrint.

One template (``tdkt/documents/document.html``), one print stylesheet (``static/css/document.css``) and
the bundled Tinos faces (:func:`tdkt.exports.font_faces`). Every character is checked against the fonts
before layout: a character Tinos has no glyph for would be drawn from a system font (or as a box), so it
is logged as a warning (``tdkt.documents``) and the tests fail on it.
"""

import datetime
import decimal
import logging

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from ..exports.pdf import _advances, font_faces
from .model import Annex, Article, Paragraph, Table

logger = logging.getLogger("tdkt.documents")
DENSE_COLUMNS = 7  # a table of more columns prints at 11 pt (12 pt otherwise)


def cell_text(value):
    """A table cell as printed: dates dd/mm/yyyy, money with "." thousands, decimals with ","."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, (float, decimal.Decimal)):
        if float(value) == int(value):
            return f"{int(value):,}".replace(",", ".")
        return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".").rstrip("0").rstrip(",")
    return str(value)


def _lines(text):
    return [line for line in str(text).split("\n") if line.strip()] or [""]


def prepared(block):
    """A body block as the templates print it (a dict; lines split; cells formatted and aligned)."""
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "style": block.style, "lines": _lines(block.text)}
    if isinstance(block, Article):
        return {"kind": "article", "label": block.label, "lines": _lines(block.text)}
    if isinstance(block, Table):
        total = sum(block.widths) if block.widths else 0
        return {
            "kind": "table",
            "dense": len(block.columns) > DENSE_COLUMNS,
            "columns": block.columns,
            "widths": [f"{100 * w / total:.2f}" for w in block.widths] if total else None,
            "rows": [[(cell_text(v), block.alignment(i, v)) for i, v in enumerate(row)] for row in block.rows],
            "totals": [(cell_text(v), block.alignment(i, v)) for i, v in enumerate(block.totals)] if block.totals else None,
        }
    raise TypeError(f"not a document block: {block!r}")


def _annex(annex: Annex):
    return {
        "label": annex.label, "title": annex.title, "reference": annex.reference, "landscape": annex.landscape,
        "body": [prepared(b) for b in annex.body], "table": prepared(annex.table) if annex.table else None,
    }


def document_html(document):
    """The document as HTML for WeasyPrint (also what the tests and the bench read)."""
    context = {
        "document": document,
        "number_line": document.number_line,
        "blocks": [prepared(b) for b in document.body],
        "annexes": [_annex(a) for a in document.annexes],
        "fonts": font_faces(),
    }
    return render_to_string("tdkt/documents/document.html", context)


def missing_glyphs(text):
    """Characters of ``text`` that the bundled Tinos has no glyph for (spaces and line breaks aside)."""
    known = _advances("Regular")
    return sorted({char for char in text if char not in known and not char.isspace()})


def render_pdf(document, *, output=None):
    """The PDF of ``document`` (bytes), or written to ``output`` (a path or binary file)."""
    # Imported on the first document, not at start-up: WeasyPrint loads Pango and HarfBuzz (≈1 s, ≈40 MB).
    from weasyprint import HTML

    html = document_html(document)
    missing = missing_glyphs(html)
    if missing:
        logger.warning("no glyph in the bundled fonts for %s in %r", "".join(missing), document.meta_title)
    base_url = str(finders.find("css/document.css"))
    rendered = HTML(string=html, base_url=base_url).render()
    if output is None:
        return rendered.write_pdf()
    rendered.write_pdf(output)
    return None
