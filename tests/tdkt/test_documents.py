import datetime
import io
import logging
import re
import unicodedata

import docx
import pytest

from tdkt.documents import (
    Annex,
    Article,
    Document,
    Issuer,
    Paragraph,
    Signer,
    Table,
    missing_glyphs,
    render_docx,
    render_pdf,
)
from tests.pdfcheck import page_texts, pdf_text, render_checked, top_line

pytestmark = pytest.mark.django_db  # staticfiles finders and templates only; no rows


def nfd(text):
    return unicodedata.normalize("NFD", text)


def decision(*, number="05/QĐ-SKHCN", date=datetime.date(2026, 1, 5), rows=60, annexes=1):
    table = Table(
        ["STT", "Họ và tên", "Chức vụ, đơn vị", "Số tiền (đ)"],
        [[i, nfd(f"Trần Văn Đức {i}"), "Chuyên viên Phòng Quản lý khoa học", 760000] for i in range(1, rows + 1)],
        totals=["", "Tổng cộng", "", 760000 * rows], widths=[6, 30, 44, 20], align=["center", "left", "left", "right"],
    )
    return Document(
        kind="QUYẾT ĐỊNH", subject="Về việc tặng Giấy khen năm 2025", number=number, date=date,
        issuer=Issuer("UBND tỉnh Hưng Yên", "Sở Khoa học và Công nghệ", "Hưng Yên"),
        authority="GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        bases=["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", "Theo đề nghị của Hội đồng;"],
        body=[Paragraph("QUYẾT ĐỊNH:", "heading"), Article("Điều 1.", "Tặng Giấy khen (danh sách kèm theo)."),
              Article("Điều 2.", "Thi hành.")],
        signers=[Signer("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", nfd("Nguyễn Thị Hằng"))],
        recipients=["Như Điều 2", "Lưu: VT, VP"],
        annexes=[Annex(title="Danh sách cá nhân", label="I" if annexes > 1 else "",
                       reference="(Kèm theo Quyết định số 05/QĐ-SKHCN ngày 05 tháng 01 năm 2026)", table=table)
                 for _ in range(annexes)],
    )


def test_pdf_header_number_dates_names_and_fonts(tmp_path):
    path = render_checked(render_pdf, decision(rows=3), tmp_path / "qd.pdf")
    first = pdf_text(path, 1)
    lines = [line.strip() for line in first.splitlines() if line.strip()]
    assert lines[0].split("  ")[0] == "UBND TỈNH HƯNG YÊN" and lines[0].endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert lines[1].startswith("SỞ KHOA HỌC VÀ CÔNG NGHỆ") and lines[1].endswith("Độc lập - Tự do - Hạnh phúc")
    assert lines[2].startswith("Số: 05/QĐ-SKHCN") and lines[2].endswith("Hưng Yên, ngày 05 tháng 01 năm 2026")
    assert lines[3] == "QUYẾT ĐỊNH" and lines[4] == "Về việc tặng Giấy khen năm 2025"
    assert lines[5] == "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert lines[6] == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
    assert lines[7] == "Theo đề nghị của Hội đồng."
    assert "Nguyễn Thị Hằng" in first and nfd("Nguyễn") not in first  # NFD in, NFC out
    assert "Nơi nhận:" in first and "- Như Điều 2;" in first and "- Lưu: VT, VP." in first
    text = pdf_text(path)
    assert "Trần Văn Đức 3" in text and "2.280.000" in text  # totals: 3 × 760.000


def test_pdf_page_numbers_none_on_page_one_and_the_annex_restarts(tmp_path):
    path = render_checked(render_pdf, decision(rows=80, annexes=2), tmp_path / "qd.pdf")
    pages = page_texts(path)
    assert top_line(pages[0]).startswith("UBND TỈNH HƯNG YÊN")  # no number on page 1
    annex_starts = [i for i, page in enumerate(pages) if top_line(page) == "Phụ lục I"]
    assert annex_starts == [1, 4]  # the decision takes one page; each annex three
    for start in annex_starts:
        assert top_line(pages[start + 1]) == "2" and top_line(pages[start + 2]) == "3"


def test_main_text_pages_are_numbered_from_two(tmp_path):
    long = decision(rows=1, annexes=0)
    long.body += [Article(f"Điều {i}.", "Nội dung " * 80) for i in range(3, 12)]
    pages = page_texts(render_checked(render_pdf, long, tmp_path / "long.pdf"))
    assert len(pages) >= 3
    assert [top_line(p) for p in pages[1:]] == [str(n) for n in range(2, len(pages) + 1)]


def test_a_draft_leaves_the_number_blank_and_minutes_have_no_place_date(tmp_path):
    minutes = Document(kind="BIÊN BẢN", subject="Họp Hội đồng", number="/BB-HĐTĐKT", date=None, show_place_date=False,
                       issuer=Issuer("Sở Khoa học và Công nghệ", "Hội đồng Thi đua - Khen thưởng", "Hưng Yên"),
                       signers=[Signer("THƯ KÝ", name="Lê Văn Bảo"), Signer("CHỦ TỌA", name="Phạm Minh Đức")],
                       recipients=["Lưu: VT, Hồ sơ."])
    first = pdf_text(render_checked(render_pdf, minutes, tmp_path / "bb.pdf"), 1)
    number_line = [line for line in first.splitlines() if "Số:" in line][0]
    assert re.fullmatch(r"Số: {2,}/BB-HĐTĐKT", number_line.strip())  # room to write the number in; no place and date
    assert "Hưng Yên, ngày" not in first
    signatures = [line for line in first.splitlines() if "THƯ KÝ" in line][0]
    assert signatures.index("THƯ KÝ") < signatures.index("CHỦ TỌA")  # secretary left, chair right
    assert "- Lưu: VT, Hồ sơ." in first


def test_the_number_never_breaks_across_lines(tmp_path):
    narrow = decision(number="1234/QĐ-SKHCNVÀĐỔIMỚISÁNGTẠOTỈNHHƯNGYÊN", rows=1, annexes=0)
    first = pdf_text(render_checked(render_pdf, narrow, tmp_path / "qd.pdf"), 1)
    assert "Số: 1234/QĐ-SKHCNVÀĐỔIMỚISÁNGTẠOTỈNHHƯNGYÊN" in first


def test_a_character_without_a_glyph_is_reported(tmp_path, caplog):
    assert missing_glyphs("Nguyễn Văn A ✓") == ["✓"]
    odd = decision(rows=1, annexes=0)
    odd.body.append(Paragraph("Đạt ✓"))
    with caplog.at_level(logging.WARNING, logger="tdkt.documents"):
        render_pdf(odd)
    assert [r.getMessage() for r in caplog.records if r.name == "tdkt.documents"] == [
        "no glyph in the bundled fonts for ✓ in 'Quyết định Về việc tặng Giấy khen năm 2025'"]
    with pytest.raises(AssertionError):
        render_checked(render_pdf, odd, tmp_path / "odd.pdf")


def test_docx_holds_the_header_number_names_and_total():
    word = docx.Document(io.BytesIO(render_docx(decision(rows=3))))
    head = word.tables[0]
    assert [c.text for c in head.rows[0].cells] == ["UBND TỈNH HƯNG YÊN\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\n",
                                                    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"]
    assert [c.text for c in head.rows[1].cells] == ["Số: 05/QĐ-SKHCN", "Hưng Yên, ngày 05 tháng 01 năm 2026"]
    texts = [p.text for p in word.paragraphs]
    assert "QUYẾT ĐỊNH" in texts and "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in texts
    signature = word.tables[1].rows[0].cells[1].text
    assert signature.startswith("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC") and signature.endswith("Nguyễn Thị Hằng")
    annex = word.tables[2]
    assert [c.text for c in annex.rows[3].cells] == ["3", "Trần Văn Đức 3", "Chuyên viên Phòng Quản lý khoa học", "760.000"]
    assert [c.text for c in annex.rows[-1].cells] == ["", "Tổng cộng", "", "2.280.000"]
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.left_margin.mm), round(section.right_margin.mm)) == (210, 30, 15)
    assert section.different_first_page_header_footer and word.sections[1]._sectPr.xpath("./w:pgNumType/@w:start") == ["1"]
    style = word.styles["Normal"].font
    assert (style.name, style.size.pt) == ("Times New Roman", 14)


def test_nfd_text_is_normalised_when_the_document_is_built():
    document = Document(kind="BIÊN BẢN", subject=nfd("Họp  Hội đồng"), issuer=Issuer(nfd("Sở"), nfd("Hội đồng")))
    assert document.subject == "Họp Hội đồng" and document.issuer.name == "Hội đồng"
    assert document.number_line == "Số:     "
