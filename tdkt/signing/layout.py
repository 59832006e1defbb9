"""Where the visible signatures go on a document laid out by Nghị định 30/2020 (Phụ lục I).

- The signer's signature (the blue handwritten-signature image) is centred between the authority line
  ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC") and the signer's name.
- The agency's signature (the red seal at its real size) covers about the left third of the signer's image.
- An attachment signed as a separate file carries the agency's signature at the top right of page 1, no image.

**How the signer block is found.** From the PDF itself, not from the renderer: the text of the authority line and
of the name is looked up in the document (pypdf's text extraction with a visitor gives each text run's start and
baseline; the width of the run comes from pypdf's layout-mode text operations, which apply the fonts' widths).
This works for any PDF that prints the block as text — ours from WeasyPrint (decisions, tờ trình, minutes) and one
rendered elsewhere — and asks nothing of the templates; the alternative, marks the renderer puts in the document
(named destinations), would tie every template to the signing code and still give no width. The search reads the
last page first: the signer block ends the main text, and an annex after it (covered by the same signature) is
skipped when the block is not on it. Coordinates are PDF points from the bottom left, as pyHanko wants them.
"""

import io
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .keys import SigningError

MM = 72 / 25.4
#: The signature image's largest size (the space between the authority line and the name is ~25–30 mm).
SIGNATURE_MAX_MM = (50, 24)
#: A seal's real size when the agency profile gives none (a department's round seal is 35–36 mm across).
SEAL_DEFAULT_MM = 36
#: The attachment stamp: two lines of Times 10 pt, at the top right of page 1, inside the top margin.
ATTACHMENT_BOX_MM = (80, 11)
ATTACHMENT_RIGHT_MM = 15  # the right margin of our documents (static/css/print.css)
ATTACHMENT_TOP_MM = 7


@dataclass(frozen=True)
class TextLine:
    page: int  # 0-based
    text: str
    x0: float
    x1: float
    baseline: float
    size: float  # font size in points

    @property
    def top(self):
        return self.baseline + 0.8 * self.size

    @property
    def bottom(self):
        return self.baseline - 0.25 * self.size

    @property
    def centre(self):
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class SignatureBoxes:
    page: int  # 0-based page of the signer block
    signature: tuple  # (x1, y1, x2, y2) of the signer's image
    seal: tuple  # (x1, y1, x2, y2) of the agency's seal


def _norm(text):
    return " ".join(unicodedata.normalize("NFC", text or "").split()).casefold()


def _layout_widths(page):
    """``[(text, width)]`` of the page's text runs, in content order (pypdf's layout mode measures them)."""
    # pypdf keeps the measuring of text runs in its layout-mode module; nothing public gives a run's width.
    from pypdf._text_extraction._layout_mode._fixed_width_page import text_show_operations  # noqa: I001
    from pypdf.generic import ContentStream

    try:
        contents = page.get_contents()
        if contents is None:
            return []
        ops = iter(ContentStream(contents, page.pdf, "bytes").operations)
        return [(_norm(group["text"]), group["displaced_tx"] - group["tx"])
                for group in text_show_operations(ops, page._layout_mode_fonts())]
    except Exception:  # noqa: BLE001  (a page pypdf cannot measure falls back to estimated widths)
        return []


def _reader(pdf):
    import pypdf  # only the signing steps read positions

    return pdf if isinstance(pdf, pypdf.PdfReader) else pypdf.PdfReader(io.BytesIO(pdf))


def find_lines(pdf, pages=None, *, only=None):
    """The text runs of the pages (all, or the 0-based ``pages``) with their positions; ``pdf``: bytes or a reader.
    ``only``: measure a page's runs only when all these texts are on it (others are left out)."""
    reader = _reader(pdf)
    wanted = range(len(reader.pages)) if pages is None else pages
    needed = {_norm(text) for text in only or ()}
    found = []
    for index in wanted:
        page = reader.pages[index]
        runs = []

        def visit(text, cm, tm, _font, size, runs=runs):
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((_norm(text), x, y, abs(size * tm[0] * cm[0]) or abs(size)))

        page.extract_text(visitor_text=visit)
        if needed and not needed <= {text for text, *_rest in runs}:
            continue  # the block is not on this page: no need to measure it
        widths = {}
        for text, width in _layout_widths(page):  # the two passes may order the runs differently
            widths.setdefault(text, []).append(width)
        for text, x, y, size in runs:
            if needed and text not in needed:
                continue
            same = widths.get(text)
            width = same.pop(0) if same else 0.5 * size * len(text)  # unmeasured: an estimate
            found.append(TextLine(index, text, x, x + width, y, size))
    return found


def _find(lines, text):
    target = _norm(text)
    return [line for line in lines if line.text == target]


def _fit(width, height, max_w, max_h):
    scale = min(max_w / width, max_h / height)
    return width * scale, height * scale


def image_size(png_bytes):
    """(width, height) in pixels and the DPI it declares (or None)."""
    from PIL import Image  # Pillow comes with pyHanko's image support; only signing needs it

    with Image.open(io.BytesIO(png_bytes)) as image:
        dpi = image.info.get("dpi")
        return image.size, (dpi[0] if dpi and dpi[0] > 1 else None)


def decree_boxes(pdf_bytes, *, authority, signer_name, signature_png=None, seal_png=None, seal_mm=None):
    """The two boxes of a decree's signer block.

    ``authority``: the last line of the authority block as printed ("PHÓ GIÁM ĐỐC", "GIÁM ĐỐC"); ``signer_name``:
    the name printed under the signature space. The signature image keeps its proportions within
    :data:`SIGNATURE_MAX_MM` and the gap; the seal is ``seal_mm`` across (its real size; default
    :data:`SEAL_DEFAULT_MM`), its right edge a third of the way into the signature image, centred on it vertically.
    """
    reader = _reader(pdf_bytes)
    for index in reversed(range(len(reader.pages))):
        lines = find_lines(reader, pages=[index], only=(authority, signer_name))
        names = _find(lines, signer_name)
        if not names:
            continue
        name = min(names, key=lambda line: line.baseline)  # the lowest: the signer block ends the text
        above = [line for line in _find(lines, authority) if line.baseline > name.baseline]
        if not above:
            continue
        auth = min(above, key=lambda line: line.baseline - name.baseline)
        return _boxes(index, auth, name, signature_png, seal_png, seal_mm)
    raise SigningError(_("Không tìm thấy khối chữ ký (“%(authority)s” … “%(name)s”) trong văn bản.")
                       % {"authority": authority, "name": signer_name})


def _boxes(index, auth, name, signature_png, seal_png, seal_mm):
    centre_x = name.centre
    gap_top, gap_bottom = auth.bottom, name.top
    gap = max(gap_top - gap_bottom, 10)
    max_w, max_h = SIGNATURE_MAX_MM[0] * MM, min(SIGNATURE_MAX_MM[1] * MM, gap - 4)
    if signature_png:
        (px_w, px_h), _dpi = image_size(signature_png)
        width, height = _fit(px_w, px_h, max_w, max_h)
    else:
        width, height = max_w, max_h
    centre_y = (gap_top + gap_bottom) / 2
    signature = (centre_x - width / 2, centre_y - height / 2, centre_x + width / 2, centre_y + height / 2)
    seal_w = seal_h = (seal_mm or SEAL_DEFAULT_MM) * MM
    if seal_png:
        (px_w, px_h), _dpi = image_size(seal_png)
        seal_h = seal_w * px_h / px_w
    right = signature[0] + width / 3
    seal = (right - seal_w, centre_y - seal_h / 2, right, centre_y + seal_h / 2)
    return SignatureBoxes(index, tuple(round(v, 2) for v in signature), tuple(round(v, 2) for v in seal))


def attachment_box(pdf_bytes):
    """The box of an attachment's agency signature: top right of page 1, inside the top margin."""
    page = _reader(pdf_bytes).pages[0]
    box = page.mediabox
    right = float(box.right) - ATTACHMENT_RIGHT_MM * MM
    top = float(box.top) - ATTACHMENT_TOP_MM * MM
    width, height = ATTACHMENT_BOX_MM[0] * MM, ATTACHMENT_BOX_MM[1] * MM
    return (round(right - width, 2), round(top - height, 2), round(right, 2), round(top, 2))
