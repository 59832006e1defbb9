"""Word (.docx) of an official document, from the same :class:`~tdkt.documents.model.Document` as the PDF.

Clerks adjust the wording in Word before signing, so the file is plain: Times New Roman, the header block
as a borderless two-column table (names on the first row, Số and place-date on the second), the rules
as paragraph borders (the tiêu ngữ's as wide as its text, the issuer's about 40 % of the column), the same
sizes and page margins as the PDF, page numbers centred at the top from page 2, each annex a new section
whose numbering restarts at 1.
"""

import io

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from ..exports.pdf import _advances
from .model import Annex, Article, Paragraph, Table
from .pdf import DENSE_COLUMNS, cell_text

FONT = "Times New Roman"
TEXT_WIDTH_MM = 210 - 30 - 15
LEFT_SHARE = 0.44
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _text_width_mm(text, size_pt, face="Bold"):
    advances = _advances(face)
    return sum(advances.get(char, 0.5) for char in text) * size_pt * 25.4 / 72


def _page(section, *, landscape=False):
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = (Mm(20), Mm(15)) if landscape else (Mm(30), Mm(15))
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True


def _restart_numbering(section):
    pg = OxmlElement("w:pgNumType")
    pg.set(qn("w:start"), "1")
    section._sectPr.append(pg)


def _page_number_header(section):
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    run.font.size = Pt(13)


def _para(container, text="", *, size=14, bold=False, italic=False, align="left", indent=False, after=6, before=0):
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if align == "justify" else ALIGN[align]
    fmt = paragraph.paragraph_format
    fmt.space_after, fmt.space_before = Pt(after), Pt(before)
    if indent:
        fmt.first_line_indent = Cm(1)
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def _rule(paragraph, *, side="bottom", indent_mm=0.0):
    """A solid 0.75 pt rule along ``side`` of ``paragraph``, shortened by ``indent_mm`` on both sides."""
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        line.set(qn(f"w:{key}"), value)
    borders.append(line)
    paragraph._p.get_or_add_pPr().append(borders)
    if indent_mm > 0:
        paragraph.paragraph_format.left_indent = Mm(indent_mm)
        paragraph.paragraph_format.right_indent = Mm(indent_mm)


def _no_borders(table):
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _cell_para(cell, text="", **kwargs):
    """Write into a cell: its first (empty) paragraph, then new ones."""
    if len(cell.paragraphs) == 1 and not cell.paragraphs[0].text and not cell.paragraphs[0].runs:
        paragraph = cell.paragraphs[0]
        paragraph.alignment = ALIGN[kwargs.get("align", "center")]
        paragraph.paragraph_format.space_after = Pt(kwargs.get("after", 0))
        if text:
            run = paragraph.add_run(text)
            run.font.size = Pt(kwargs.get("size", 13))
            run.bold, run.italic = kwargs.get("bold", False), kwargs.get("italic", False)
        return paragraph
    kwargs.setdefault("align", "center")
    kwargs.setdefault("after", 0)
    kwargs.setdefault("size", 13)
    return _para(cell, text, **kwargs)


def _header(word, document):
    left_mm = TEXT_WIDTH_MM * LEFT_SHARE
    right_mm = TEXT_WIDTH_MM - left_mm
    table = word.add_table(rows=2, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Mm(left_mm), Mm(right_mm)
    left, right = table.rows[0].cells
    _cell_para(left, document.issuer.parent_name.upper(), size=13)
    _cell_para(left, document.issuer.name.upper(), size=13, bold=True)
    issuer_width = min(_text_width_mm(document.issuer.name.upper(), 13), left_mm)
    rule = _cell_para(left, "", size=4)
    _rule(rule, side="top", indent_mm=(left_mm - 0.4 * issuer_width) / 2)
    rule.paragraph_format.line_spacing = Pt(2)
    _cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    motto_text = "Độc lập - Tự do - Hạnh phúc"
    motto = _cell_para(right, motto_text, size=13, bold=True)
    _rule(motto, indent_mm=max((right_mm - _text_width_mm(motto_text, 13)) / 2 - 2.2, 0))
    number, dated = table.rows[1].cells
    _cell_para(number, document.number_line, size=13, before=6)
    number.paragraphs[0].paragraph_format.space_before = Pt(6)
    if document.show_place_date:
        _cell_para(dated, document.place_date, size=13, italic=True)
        dated.paragraphs[0].paragraph_format.space_before = Pt(6)


def _table(container, table: Table):
    grid = container.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = 11 if len(table.columns) > DENSE_COLUMNS else 12
    for cell, header in zip(grid.rows[0].cells, table.columns, strict=True):
        _cell_para(cell, str(header), size=size, bold=True)
    header_row = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row.append(repeat)
    for values in [*table.rows, *([table.totals] if table.totals else [])]:
        cells = grid.add_row().cells
        bold = values is table.totals
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            _cell_para(cell, cell_text(value), size=size, bold=bold, align=table.alignment(index, value))
    if table.widths:
        total = sum(table.widths)
        page_mm = TEXT_WIDTH_MM
        for row in grid.rows:
            for cell, weight in zip(row.cells, table.widths, strict=True):
                cell.width = Mm(page_mm * weight / total)
    return grid


def _block(word, block):
    if isinstance(block, Paragraph):
        for line in (block.text.split("\n") or [""]):
            style = block.style
            centred = style in ("center", "heading", "note")
            _para(word, line, bold=style in ("bold", "heading"), italic=style in ("italic", "note"),
                  align="center" if centred else "justify", indent=not centred,
                  before=8 if style == "heading" else 0)
    elif isinstance(block, Article):
        for index, line in enumerate(block.text.split("\n")):
            paragraph = _para(word, align="justify", indent=True)
            if index == 0:
                run = paragraph.add_run(f"{block.label} ")
                run.font.size, run.bold = Pt(14), True
            run = paragraph.add_run(line)
            run.font.size = Pt(14)
    elif isinstance(block, Table):
        _table(word, block)
        _para(word, after=0)
    else:
        raise TypeError(f"not a document block: {block!r}")


def _signer(cell, signer):
    _cell_para(cell, signer.authority.upper(), size=14, bold=True)
    if signer.position:
        _cell_para(cell, signer.position.upper(), size=14, bold=True)
    for _ in range(4):
        _cell_para(cell, "", size=14)
    _cell_para(cell, signer.name, size=14, bold=True)


def _recipients(cell, document):
    _cell_para(cell, "Nơi nhận:", size=12, bold=True, italic=True, align="left")
    for line in document.recipient_lines:
        _cell_para(cell, line, size=11, align="left")


def _signatures(word, document):
    if not document.signers:
        return
    table = word.add_table(rows=1, cols=2 if len(document.signers) == 1 else len(document.signers))
    _no_borders(table)
    if len(document.signers) == 1:
        if document.recipients:
            _recipients(table.rows[0].cells[0], document)
        _signer(table.rows[0].cells[1], document.signers[0])
    else:
        for cell, signer in zip(table.rows[0].cells, document.signers, strict=True):
            _signer(cell, signer)
        if document.recipients:
            below = word.add_table(rows=1, cols=2)
            _no_borders(below)
            _recipients(below.rows[0].cells[0], document)


def _annex(word, annex: Annex):
    section = word.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=annex.landscape)
    _restart_numbering(section)
    _para(word, "Phụ lục" + (f" {annex.label}" if annex.label else ""), bold=True, align="center", after=0)
    _para(word, annex.title.upper(), bold=True, align="center", after=0)
    if annex.reference:
        _para(word, annex.reference, italic=True, align="center", after=10)
    for block in annex.body:
        _block(word, block)
    if annex.table:
        _table(word, annex.table)


def render_docx(document) -> bytes:
    word = WordDocument()
    normal = word.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    fonts = normal.element.rPr.rFonts
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    section = word.sections[0]
    _page(section)
    _page_number_header(section)
    word.core_properties.title = document.meta_title
    _header(word, document)
    _para(word, document.kind.upper(), bold=True, align="center", before=14, after=0)
    if document.subject:
        _para(word, document.subject, bold=True, align="center", after=0)
        width = min(_text_width_mm(document.subject, 14), TEXT_WIDTH_MM)
        rule = _para(word, "", size=4, after=12)
        rule.paragraph_format.line_spacing = Pt(4)
        _rule(rule, side="top", indent_mm=(TEXT_WIDTH_MM - 0.3 * width) / 2)
    if document.authority:
        _para(word, document.authority.upper(), bold=True, align="center", after=10)
    for line in document.bases_lines:
        _para(word, line, italic=True, align="justify", indent=True)
    for block in document.body:
        _block(word, block)
    _signatures(word, document)
    for annex in document.annexes:
        _annex(word, annex)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
