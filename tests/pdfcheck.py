"""PDF checks shared by the document tests: text with poppler's layout, page texts, embedded fonts, and
rendering that fails on a missing-glyph warning (tdkt.documents) or any WeasyPrint warning."""

import logging
import subprocess


def pdf_text(path, page=None):
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_texts(path):
    """The text of each page (pdftotext separates pages with a form feed)."""
    return pdf_text(path).split("\f")[:-1]


def top_line(page_text):
    """The first non-empty line of a page: where the page number sits."""
    return next((line.strip() for line in page_text.splitlines() if line.strip()), "")


def embedded_fonts(path):
    """Base names of the embedded fonts ("Tinos", "Tinos-Bold", …), the subset prefix removed."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return {line.split()[0].split("+", 1)[-1] for line in out if line.strip()}


class WarningCatcher(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def render_checked(render, document, path):
    """``render(document)`` to ``path``; assert no warning from WeasyPrint or tdkt.documents (a missing
    glyph, a font that did not load)."""
    catcher = WarningCatcher()
    loggers = [logging.getLogger(name) for name in ("weasyprint", "tdkt.documents")]
    for logger in loggers:
        logger.addHandler(catcher)
    try:
        path.write_bytes(render(document))
    finally:
        for logger in loggers:
            logger.removeHandler(catcher)
    assert not catcher.records, [r.getMessage() for r in catcher.records]
    assert embedded_fonts(path) <= {"Tinos", "Tinos-Bold", "Tinos-Italic", "Tinos-Bold-Italic"}, embedded_fonts(path)
    return path
