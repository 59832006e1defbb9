import datetime
import decimal
import io
import subprocess

import pytest
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from tdkt.exports import Column, ListExporter, Section, choice_labels, column_widths, render_pdf, render_xlsx
from tdkt.exports import pdf as pdf_module
from tdkt.exports.xlsx import sheet_name

pytestmark = pytest.mark.unit


class Sample(ListExporter):
    title = "Danh sách thử"
    subtitle = "Năm 2025"
    columns = (Column("Họ và tên", 25), Column("Ngày sinh", 12, "date"), Column("Mức thưởng", 14, "money"))

    def __init__(self, rows):
        self._rows = rows

    def rows(self):
        return iter(self._rows)


def test_xlsx_is_formula_safe_and_typed():
    data = render_xlsx(Sample([("=HYPERLINK(\"http://x\")", datetime.date(1980, 1, 5), 710000),
                               ("Nguyễn Thị\x07 Hằng", None, 0)]))
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Danh sách thử"
    assert rows[3] == ("STT", "Họ và tên", "Ngày sinh", "Mức thưởng")
    assert rows[4] == (1, "=HYPERLINK(\"http://x\")", datetime.datetime(1980, 1, 5), 710000)
    assert rows[5] == (2, "Nguyễn Thị Hằng", None, 0)
    formula_cell = ws.cell(row=5, column=2)
    assert formula_cell.data_type == "s"
    assert [ws.column_dimensions[c].width for c in "ABCD"] == [7, 25, 12, 14]


class Tricky(ListExporter):
    title = "Ô khó"
    columns = (Column("Giá trị", 30), Column("Ngày", 12, "date"), Column("Tiền", 14, "money"), Column("Số", 8, "number"))

    def rows(self):
        yield "=1+1", datetime.date(2024, 2, 29), 1_250_000, decimal.Decimal("2.5")
        yield "+84 912 345 678", datetime.date(2025, 12, 31), decimal.Decimal("710000"), 3.25
        yield "-1", None, None, None
        yield "@SUM(A1:A2)", datetime.date(1999, 1, 1), 0, True
        yield "\tTAB", None, None, None
        yield "\rCR", None, None, None
        yield "", None, None, None
        yield "Mở\x01 rộng\x1f", None, None, None
        yield gettext_lazy("Đã gửi"), None, None, None
        yield "=", None, None, None
        yield mark_safe("=2*3"), None, None, None  # a str subclass is text too


def test_every_formula_trigger_stays_text_and_reused_cells_keep_their_own_values(tmp_path):
    path = tmp_path / "o.xlsx"
    assert render_xlsx(Tricky(), output=str(path)) is None  # streamed to the file, nothing returned
    ws = load_workbook(path).active
    cells = [row for row in ws.iter_rows(min_row=5, max_row=15)]
    values = [tuple(c.value for c in row[1:]) for row in cells]
    assert values == [
        ("=1+1", datetime.datetime(2024, 2, 29), 1_250_000, 2.5),
        ("+84 912 345 678", datetime.datetime(2025, 12, 31), 710000, 3.25),
        ("-1", None, None, None),
        ("@SUM(A1:A2)", datetime.datetime(1999, 1, 1), 0, True),
        ("\tTAB", None, None, None),
        ("\rCR", None, None, None),  # kept as written (openpyxl with lxml, which python-docx brings, escapes it); never a formula
        (None, None, None, None),  # an empty string is an empty cell
        ("Mở rộng", None, None, None),  # characters the XLSX format rejects are dropped
        ("Đã gửi", None, None, None),
        ("=", None, None, None),
        ("=2*3", None, None, None),
    ]
    assert {row[1].data_type for row in cells if row[1].value is not None} == {"s"}
    assert [row[2].number_format for row in cells if row[2].value is not None] == ["DD/MM/YYYY"] * 3
    assert [row[3].number_format for row in cells if row[3].value is not None] == ["#,##0"] * 3


def test_xlsx_streams_into_an_open_file(tmp_path):
    with open(tmp_path / "o.xlsx", "wb") as file:
        render_xlsx(Sample([("Lê Văn Bảo", None, 1)]), output=file)
    assert list(load_workbook(tmp_path / "o.xlsx").active.iter_rows(min_row=5, values_only=True)) == [(1, "Lê Văn Bảo", None, 1)]


def test_choice_labels_translate_once():
    from nominations.enums import NominationState

    labels = choice_labels(NominationState)
    assert labels["draft"] == "Nháp" and labels["council_passed"] == "Hội đồng thông qua"
    assert all(type(label) is str for label in labels.values())


def pdf_text(path, page=None):
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in info.splitlines() if ":" in line)


def test_pdf_embeds_bundled_font_and_vietnamese_text(tmp_path, db):
    pdf = render_pdf(Sample([("Đặng Thị Thủy", datetime.date(1990, 2, 3), 2340000)]))
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    text = pdf_text(path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Đặng Thị Thủy" in text and "03/02/1990" in text and "2.340.000" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tinos" in fonts


class Sectioned(ListExporter):
    title = "Danh sách đăng ký"

    def sections(self):
        yield Section("I. CÁ NHÂN", (Column("Họ và tên"), Column("Danh hiệu")), [("Lê Văn Bảo", "Lao động tiên tiến")])
        yield Section("II. TẬP THỂ", (Column("Tên tập thể"), Column("Số người", 10, "int")), [("Văn phòng Sở", 12)],
                      footer=("Tổng cộng", 12))


def test_sections_write_headings_tables_and_footers_in_order():
    ws = load_workbook(io.BytesIO(render_xlsx(Sectioned()))).active
    rows = [r for r in ws.iter_rows(values_only=True) if any(v not in (None, "") for v in r)]
    assert rows == [
        ("Danh sách đăng ký", None, None),
        ("I. CÁ NHÂN", None, None),
        ("STT", "Họ và tên", "Danh hiệu"),
        (1, "Lê Văn Bảo", "Lao động tiên tiến"),
        ("II. TẬP THỂ", None, None),
        ("STT", "Tên tập thể", "Số người"),
        (1, "Văn phòng Sở", 12),
        (None, "Tổng cộng", 12),
    ]


def test_sectioned_pdf_renders_every_section(tmp_path, db):
    path = tmp_path / "s.pdf"
    path.write_bytes(render_pdf(Sectioned()))
    text = pdf_text(path)
    assert text.index("I. CÁ NHÂN") < text.index("Lê Văn Bảo") < text.index("II. TẬP THỂ") < text.index("Tổng cộng")


# ---------------------------------------------------------------- PDF widths, split rows, chunks

SUMMARY = ("Hoàn thành xuất sắc nhiệm vụ được giao; chủ trì 02 đề tài khoa học cấp tỉnh đã nghiệm thu; có 01 sáng kiến "
           "được Hội đồng sáng kiến cơ sở công nhận, áp dụng hiệu quả tại đơn vị.")


def formatted(rows, columns):
    return [[(str(value), column.kind) for value, column in zip(row, columns, strict=True)] for row in rows]


def test_widths_follow_the_content():
    columns = (Column("STT", 7, "int"), Column("Họ và tên", 26), Column("Ngày sinh", 17, "date"), Column("Năm", 9, "int"),
               Column("Tóm tắt thành tích", 40))
    rows = formatted([(i, f"Nguyễn Thị Thu Hằng {i}", "25/01/1968", 2025, SUMMARY) for i in range(1, 60)], columns)
    widths = column_widths(columns, rows, landscape=True)
    assert sum(widths) == pytest.approx(100, abs=0.05)
    assert max(widths) == widths[4] and widths[4] > 45  # the summary gets the room
    assert widths[3] < widths[2] < widths[1]
    # the date fits on one line: its column holds its text plus the cell's padding and border
    regular = pdf_module._advances("Regular")
    date_mm = sum(pdf_module.words_of("25/01/1968", regular)) * pdf_module.FONT_PT[False] * pdf_module.PT_MM
    overhead = pdf_module.CELL_PADDING_MM[False] + pdf_module.BORDER_MM
    assert widths[2] / 100 * pdf_module.PAGE_WIDTH[True] - overhead > date_mm
    # without rows the declared widths are the weights
    assert column_widths(columns, [], landscape=True) == [round(100 * w / 99, 2) for w in (7, 26, 17, 9, 40)]


def test_wrapped_lines_follow_word_wrapping():
    assert pdf_module.wrapped_lines([2, 2, 2], 4.5) == 2  # "aa bb" | "cc"
    assert pdf_module.wrapped_lines([2, 2, 2], 6.5) == 1
    assert pdf_module.wrapped_lines([9], 4) == 3  # a word wider than the column is broken
    assert pdf_module.wrapped_lines([], 4) == 1


class Long(ListExporter):
    title = "Danh sách dài"
    columns = (Column("Mã dòng", 10), Column("Đợt", 20), Column("Tóm tắt thành tích", 60))

    def __init__(self, count, summary=SUMMARY * 4, batch="Tổng kết năm 2025"):
        self.count_, self.summary, self.batch = count, summary, batch

    def rows(self):
        for i in range(1, self.count_ + 1):
            yield f"R{i:03d}", self.batch, f"({i}) {self.summary}"


def test_a_long_pdf_is_rendered_in_chunks_merged_with_continuous_page_numbers(tmp_path, db, settings, monkeypatch):
    settings.TDKT_PDF_CHUNK_ROWS = 20
    merged = []
    real_merge = pdf_module.merge_pdfs

    def spy(paths, target):
        merged.append(len(paths))
        real_merge(paths, target)

    monkeypatch.setattr(pdf_module, "merge_pdfs", spy)
    path = tmp_path / "long.pdf"
    render_pdf(Long(60, batch="Đợt một"), output=str(path))
    assert merged == [3]  # three chunks of 20 rows
    info = pdf_pages(path)
    pages = int(info["Pages"])
    assert pages >= 6 and info["Title"].strip() == "Danh sách dài"
    texts = [pdf_text(path, page) for page in range(1, pages + 1)]
    # page 1: the ND 30 header, no number; every later page: its number at the top, numbering running on
    assert texts[0].lstrip().startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert [text.strip().splitlines()[0].strip() for text in texts[1:]] == [str(n) for n in range(2, pages + 1)]
    whole = "".join(texts)
    assert whole.count("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == 1 and whole.count("DANH SÁCH DÀI") == 1
    assert all("Tóm tắt thành tích" in text for text in texts)  # the header row on every page
    markers = [word for word in whole.split() if word.startswith("R0")]
    assert markers == [f"R{i:03d}" for i in range(1, 61)]  # every row once, in order
    assert whole.count("Đợt: Đợt một") == 1 and whole.count("Đợt một") == 1  # one value on every row: said once
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line and "Tinos" in line for line in fonts)  # embedded (subsets)


def test_a_short_table_keeps_its_columns(tmp_path, db):
    path = tmp_path / "short.pdf"
    path.write_bytes(render_pdf(Long(5, summary="Ngắn.")))
    text = pdf_text(path)
    assert text.count("Tổng kết năm 2025") == 5 and "Đợt: " not in text


def test_a_long_row_splits_across_pages_under_the_repeated_header(tmp_path, db):
    class Split(ListExporter):
        title = "Dòng dài"
        landscape = False
        columns = (Column("Nội dung", 60),)

        def rows(self):
            yield from ((f"Dòng ngắn {i}",) for i in range(1, 21))
            yield ("BẮTĐẦU " + "lời lẽ dài dòng " * 300 + "KẾTTHÚC",)

    path = tmp_path / "split.pdf"
    path.write_bytes(render_pdf(Split()))
    first, second = pdf_text(path, 1), pdf_text(path, 2)
    assert "Dòng ngắn 20" in first and "BẮTĐẦU" in first  # the long row starts on page 1 …
    assert "KẾTTHÚC" not in first and "Nội dung" in second  # … and goes on under the header on page 2
    assert "KẾTTHÚC" in "".join(pdf_text(path, p) for p in range(2, int(pdf_pages(path)["Pages"]) + 1))


def test_sections_continue_across_chunks(tmp_path, db, settings):
    settings.TDKT_PDF_CHUNK_ROWS = 3

    class Two(ListExporter):
        title = "Hai phần"

        def sections(self):
            yield Section("I. CÁ NHÂN", (Column("Họ và tên"),), [(f"Người {i}",) for i in range(1, 6)])
            yield Section("II. TẬP THỂ", (Column("Tên tập thể"), Column("Số người", 10, "int")),
                          [(f"Tập thể {i}", i) for i in range(1, 5)], footer=("Tổng cộng", 10))

    path = tmp_path / "two.pdf"
    render_pdf(Two(), output=path)
    text = pdf_text(path)
    order = ["I. CÁ NHÂN", *(f"Người {i}" for i in range(1, 6)), "II. TẬP THỂ", *(f"Tập thể {i}" for i in range(1, 5)), "Tổng cộng"]
    assert [text.index(item) for item in order] == sorted(text.index(item) for item in order)
    assert text.count("I. CÁ NHÂN") == 1 and text.count("II. TẬP THỂ") == 1 and text.count("Tên tập thể") == 2


# ---------------------------------------------------------------- print set-up and sheet names (part: docs, issue 11)

def test_every_sheet_has_a_frozen_header_an_autofilter_and_a_print_setup():
    ws = load_workbook(io.BytesIO(render_xlsx(Sample([("Đặng Thị Thủy", datetime.date(1990, 2, 3), 2340000)] * 3)))).active
    assert ws.freeze_panes == "A5"  # title, subtitle, blank, header on row 4
    assert ws.auto_filter.ref == "A4:D7"
    assert ws.print_title_rows == "$4:$4"
    setup = ws.page_setup
    assert (setup.orientation, setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (
        "landscape", 1, 0, True)


def test_sections_with_headings_freeze_under_the_first_header():
    ws = load_workbook(io.BytesIO(render_xlsx(Sectioned()))).active
    assert ws.freeze_panes == "A6" and ws.auto_filter.ref == "A5:C6" and ws.print_title_rows == "$5:$5"


class PerUnit(Sectioned):
    sheet_per_section = True

    def sections(self):
        for heading in ("Trung tâm Ứng dụng tiến bộ khoa học và công nghệ tỉnh", "Trung tâm Ứng dụng tiến bộ khoa học và "
                        "công nghệ tỉnh", "Văn phòng Sở"):
            yield Section(heading, (Column("Họ và tên"),), [("Lê Văn Bảo",)])


def test_one_sheet_per_section_named_within_31_characters_at_a_word_boundary():
    wb = load_workbook(io.BytesIO(render_xlsx(PerUnit())))
    assert wb.sheetnames == ["Trung tâm Ứng dụng tiến bộ khoa", "Trung tâm Ứng dụng tiến bộ (2)", "Văn phòng Sở"]
    assert all(ws.freeze_panes == "A6" and ws.print_title_rows == "$5:$5" for ws in wb.worksheets)


def test_sheet_names():
    assert sheet_name("Kết quả: phiên họp [1/2026]") == "Kết quả phiên họp 1 2026"
    assert sheet_name("Danh sách", used=["danh sách"]) == "Danh sách (2)"
    assert sheet_name("Chiếnsĩthiđuacơsởnăm2025vàcácnămtrước") == "Chiếnsĩthiđuacơsởnăm2025vàcácnă"  # one word: cut at 31
    assert sheet_name("") == "Danh sách"
