"""The decision (with its annexed list), the tờ trình and the Excel annex, rendered from factory data and read back:
``pdftotext -layout`` for the header block, number, dates, names (NFD input comes out NFC), totals and page numbers
(none on page 1; the annex restarts), ``pdffonts`` for the bundled fonts only, python-docx and openpyxl for the Word
and Excel files. A character the bundled fonts lack is logged by ``tdkt.documents``: any such warning fails."""

import io
import logging
import re
import subprocess
import unicodedata

import openpyxl
import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from councils import documents, services
from councils.exports import DecisionAnnexExporter
from movements.models import Person, Unit
from tdkt.exports import render_xlsx
from tests.factories.councils import vetted
from tests.factories.decisions import DECISION_DAY, agency, issued_decision, passed_meeting

pytestmark = pytest.mark.integration

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
NFC_NAME = "Nguyễn Thị Hường"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _no_missing_glyph(caplog):
    caplog.set_level(logging.WARNING, logger="tdkt.documents")
    yield
    assert [r.getMessage() for r in caplog.records if r.name == "tdkt.documents"] == []


def pdf_pages(content, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    count = len(PdfReader(io.BytesIO(content)).pages)
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True,
                           check=True).stdout for n in range(1, count + 1)]


def fonts(content, tmp_path):
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return sorted({line.split()[0].split("+")[-1] for line in lines})


def top_line(page):
    """The first non-empty line of a page: the page number in the top margin, when there is one."""
    return next(line.strip() for line in page.splitlines() if line.strip())


@pytest.fixture
def decision(office, unit_a):
    nominations = vetted(40, unit=unit_a)
    Person.objects.filter(pk=nominations[0].person_id).update(full_name=NFD_NAME, position_title="Trưởng phòng")
    return issued_decision(office=office, nominations=nominations)


def test_decision_pdf_header_number_date_names_total_and_page_numbers(decision, tmp_path):
    lines = services.decision_lines(decision)
    content = documents.decision_pdf(decision, lines=lines)
    pages = pdf_pages(content, tmp_path)
    first = pages[0]
    for text in ("UBND TỈNH HƯNG YÊN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Độc lập - Tự do - Hạnh phúc",
                 "Số: 01/QĐ-SKHCN", "Hưng Yên, ngày 05 tháng 01 năm 2026", "QUYẾT ĐỊNH", "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ",
                 "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", "Điều 1.", "Nơi nhận:", "Nguyễn Văn Giám"):
        assert text in first, text
    assert top_line(first) == "UBND TỈNH HƯNG YÊN   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # no page number on page 1
    annex_start = next(i for i, page in enumerate(pages) if "Phụ lục" in page)
    assert annex_start == 1
    annex = "".join(pages[annex_start:])
    assert "DANH SÁCH LAO ĐỘNG TIÊN TIẾN" in annex
    assert "(Kèm theo Quyết định số 01/QĐ-SKHCN ngày 05 tháng 01 năm 2026 của Giám" in annex
    assert NFC_NAME in annex and NFD_NAME not in annex
    assert "Tổng cộng: 40" in annex and "28.400.000" in annex  # 40 × 710.000 (0,3 × 2.340.000 = 702.000 → 710.000)
    assert "Trưởng phòng" in annex and "0,3 " in annex
    # the annex numbers its own pages: none on its first page, then 2, 3…
    assert top_line(pages[annex_start]) == "Phụ lục"
    assert [top_line(page) for page in pages[annex_start + 1:]] == [str(n) for n in range(2, len(pages) - annex_start + 1)]
    assert len(pages) - annex_start >= 2
    assert fonts(content, tmp_path) == ["Tinos", "Tinos-Bold", "Tinos-Bold-Italic", "Tinos-Italic"]


def test_the_stored_pdf_is_the_issued_decision(decision, tmp_path):
    with decision.pdf_unsigned.open("rb") as stored:
        pages = pdf_pages(stored.read(), tmp_path)
    assert "Số: 01/QĐ-SKHCN" in pages[0]


def test_a_draft_leaves_the_number_blank(office, unit_a, tmp_path):
    agency()
    meeting, _items = passed_meeting(office=office, nominations=vetted(2, unit=unit_a))
    (draft,) = services.decisions_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    pages = pdf_pages(documents.decision_pdf(draft, lines=services.decision_lines(draft)), tmp_path)
    assert re.search(r"Số: +/QĐ-SKHCN", pages[0])  # room to write the number in by hand
    assert re.search(r"\(Kèm theo Quyết định số +/QĐ-SKHCN ngày 05 tháng 01 năm 2026", "".join(pages[1:]))


def test_decision_docx_holds_the_same_number_names_and_total(decision):
    content = documents.decision_docx(decision, lines=services.decision_lines(decision))
    word = WordDocument(io.BytesIO(content))
    texts = [p.text for p in word.paragraphs]
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    everything = "\n".join(texts + cells)
    assert "Số: 01/QĐ-SKHCN" in everything
    assert "Hưng Yên, ngày 05 tháng 01 năm 2026" in everything
    assert NFC_NAME in cells and NFD_NAME not in everything
    assert "28.400.000" in cells
    assert "Tổng cộng: 40" in cells
    fonts_used = {run.font.name for p in word.paragraphs for run in p.runs if run.font.name}
    assert fonts_used <= {"Times New Roman"}


def test_excel_annex_has_the_lines_and_the_total(decision):
    content = render_xlsx(DecisionAnnexExporter(decision))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    names = [row[1] for row in rows]
    assert NFC_NAME in names
    total_row = next(row for row in rows if row[1] == "Tổng cộng")
    assert total_row[-1] == 28400000
    assert sum(1 for row in rows if isinstance(row[0], int)) == 40


def test_proposal_pdf_and_docx(office, unit_a, tmp_path):
    agency()
    nominations = vetted(2, unit=unit_a, code="CSTD_TINH")
    Person.objects.filter(pk=nominations[0].person_id).update(full_name=NFD_NAME)
    Unit.objects.filter(pk=unit_a.pk).update(name="Phòng Quản lý khoa học")
    meeting, _items = passed_meeting(office=office, nominations=nominations)
    (proposal,) = services.proposals_create_from_meeting(actor=office, meeting=meeting, date=DECISION_DAY)
    proposal = services.proposal_send(actor=office, proposal=proposal)
    lines = services.proposal_lines(proposal)
    pages = pdf_pages(documents.proposal_pdf(proposal, lines=lines), tmp_path)
    assert "Số: 01/TTr-SKHCN" in pages[0] and "TỜ TRÌNH" in pages[0] and "Hưng Yên, ngày 05 tháng 01 năm 2026" in pages[0]
    assert "Kính gửi: Ủy ban nhân dân tỉnh (qua Ban Thi đua – Khen thưởng tỉnh)." in pages[0]
    annex = "".join(pages[1:])
    assert "DANH SÁCH ĐỀ NGHỊ CHIẾN SĨ THI ĐUA CẤP TỈNH" in annex and NFC_NAME in annex
    assert "(Kèm theo Tờ trình số 01/TTr-SKHCN ngày 05 tháng 01 năm 2026 của Sở Khoa học và Công nghệ)" in annex
    word = WordDocument(io.BytesIO(documents.proposal_docx(proposal, lines=lines)))
    everything = "\n".join([p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells])
    assert "Số: 01/TTr-SKHCN" in everything and NFC_NAME in everything
