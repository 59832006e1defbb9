import datetime
import io
import subprocess

import pytest
from openpyxl import load_workbook

from tdkt.exports import Column, ListExporter, render_pdf, render_xlsx

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


def test_pdf_embeds_bundled_font_and_vietnamese_text(tmp_path, db):
    pdf = render_pdf(Sample([("Đặng Thị Thủy", datetime.date(1990, 2, 3), 2340000)]))
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Đặng Thị Thủy" in text and "03/02/1990" in text and "2.340.000" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tinos" in fonts


class Sectioned(ListExporter):
    title = "Danh sách đăng ký"

    def sections(self):
        from tdkt.exports import Section

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
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert text.index("I. CÁ NHÂN") < text.index("Lê Văn Bảo") < text.index("II. TẬP THỂ") < text.index("Tổng cộng")
