"""Official documents by Nghị định 30/2020 (Phụ lục I): one data model, a PDF and a Word renderer.

A feature (a decision, a tờ trình, the minutes of a council meeting, a dossier summary) builds a
:class:`Document` from its records and hands it to :func:`render_pdf` (WeasyPrint, the bundled Tinos
fonts, ``static/css/document.css``) or :func:`render_docx` (python-docx, Times New Roman, the same header
block, sizes and margins). See ``README.md``, "Official documents (Nghị định 30)".
"""

from .certificate import Certificate, CertificateLayout, render_certificates
from .docx import render_docx
from .model import BLANK_NUMBER, KINDS, Annex, Article, Document, Issuer, Paragraph, Signer, Table
from .pdf import cell_text, document_html, missing_glyphs, render_pdf
from .registry import DOCUMENTS, build_document, is_document, register_document, row_count

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

__all__ = [
    "BLANK_NUMBER", "DOCX_MIME", "KINDS", "Annex", "Article", "Document", "Issuer", "Paragraph", "Signer", "Table",
    "cell_text", "document_html", "missing_glyphs", "render_docx", "render_pdf",
    "Certificate", "CertificateLayout", "render_certificates",
    "DOCUMENTS", "build_document", "is_document", "register_document", "row_count",
]
