"""One exporter interface for every list the office downloads: XLSX and PDF from one data source.

An exporter declares its columns and yields rows (:mod:`.base`); :func:`render_xlsx` writes them with
openpyxl in write-only mode, streamed, formula-safe (:mod:`.xlsx`); :func:`render_pdf` lays them out on
A4 with the Nghị định 30/2020 header and the bundled Tinos fonts, column widths measured on the content,
in chunks merged into one file so memory stays bounded (:mod:`.pdf`).
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .base import (
    EXPORTS,
    PDF_MIME,
    ROW_CHUNK,
    XLSX_MIME,
    Column,
    ListExporter,
    Section,
    background_threshold,
    build_export,
    choice_labels,
    register_export,
)
from .pdf import column_widths, font_faces, render_pdf
from .xlsx import render_xlsx, safe_text

__all__ = [
    "EXPORTS", "PDF_MIME", "ROW_CHUNK", "XLSX_MIME", "Column", "ListExporter", "Section",
    "background_threshold", "build_export", "choice_labels", "column_widths", "export_response", "font_faces",
    "register_export", "render_pdf", "render_xlsx", "safe_text",
]


def export_response(exporter: ListExporter, fmt: str, *, agency=None) -> HttpResponse:
    """An attachment response in ``fmt`` ("xlsx" or "pdf")."""
    if fmt == "pdf":
        content, mime = render_pdf(exporter, agency=agency), PDF_MIME
    else:
        fmt, content, mime = "xlsx", render_xlsx(exporter), XLSX_MIME
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(True, f"{exporter.filename}.{fmt}")
    return response
