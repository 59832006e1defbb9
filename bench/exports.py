"""Bench (not a test): our exporter against bare openpyxl and WeasyPrint, measured in the same run.

    .venv/bin/python bench/exports.py [rows]        # default 50,000 XLSX rows, 1,000 PDF rows

Prints, for the same in-memory rows (no database involved):
  1. XLSX: tdkt.exports.render_xlsx (write-only, formula-safe typed cells, widths, title) vs a bare
     openpyxl write-only workbook appending plain tuples: time, peak Python memory and the ratio;
  2. PDF: tdkt.exports.render_pdf (Nghị định 30 header, bundled Tinos fonts, print.css) vs WeasyPrint on a
     bare HTML table of the same rows: time, pages and the ratio.
"""

import datetime
import io
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tdkt.settings")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from tdkt.exports import Column, ListExporter, render_pdf, render_xlsx  # noqa: E402

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]


def make_rows(n):
    return [(f"{SURNAMES[i % 8]} Thị Thu Hằng {i}", datetime.date(1970 + i % 30, 1 + i % 12, 1 + i % 28), "Chuyên viên",
             "Phòng Quản lý khoa học", "Lao động tiên tiến", 2025, 710000) for i in range(n)]


class BenchExporter(ListExporter):
    title = "Danh sách đề nghị khen thưởng"
    filename = "bench"
    columns = (Column("Họ và tên", 28), Column("Ngày sinh", 14, "date"), Column("Chức vụ", 16), Column("Đơn vị", 26),
               Column("Danh hiệu", 22), Column("Năm", 9, "int"), Column("Mức thưởng", 14, "money"))

    def __init__(self, rows):
        self._rows = rows

    def rows(self):
        return iter(self._rows)


def bare_xlsx(rows):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Đơn vị", "Danh hiệu", "Năm", "Mức thưởng"])
    for i, row in enumerate(rows, start=1):
        ws.append((i, *row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bare_pdf(rows):
    from weasyprint import HTML

    body = "".join(f"<tr><td>{i}</td>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for i, row in enumerate(rows, 1))
    html = ("<html><head><style>@page { size: A4 landscape } table { border-collapse: collapse; width: 100% }"
            "td { border: 0.6pt solid #000 } thead { display: table-header-group }</style></head><body><table>"
            "<thead><tr><th>STT</th><th>Họ và tên</th><th>Ngày sinh</th><th>Chức vụ</th><th>Đơn vị</th><th>Danh hiệu</th>"
            f"<th>Năm</th><th>Mức thưởng</th></tr></thead><tbody>{body}</tbody></table></body></html>")
    return HTML(string=html).write_pdf()


def measure(func, *args, memory=True):
    """Time of one run; then, in a second run under tracemalloc (which slows Python down), its peak memory."""
    start = time.perf_counter()
    result = func(*args)
    elapsed = time.perf_counter() - start
    peak = 0
    if memory:
        tracemalloc.start()
        func(*args)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, elapsed, peak


def pages(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main():
    translation.activate("vi")
    xlsx_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    pdf_rows = min(1_000, xlsx_rows)
    rows = make_rows(xlsx_rows)

    _, bare_t, bare_mem = measure(bare_xlsx, rows)
    ours, ours_t, ours_mem = measure(render_xlsx, BenchExporter(rows))
    print(f"1. XLSX: {xlsx_rows:,} dòng × 8 cột".replace(",", "."))
    print(f"   openpyxl trần (write-only):  {bare_t:6.2f} s, bộ nhớ Python đỉnh {bare_mem / 2**20:6.1f} MB")
    print(f"   tdkt.exports.render_xlsx:    {ours_t:6.2f} s, bộ nhớ Python đỉnh {ours_mem / 2**20:6.1f} MB, {len(ours) / 2**20:.1f} MB tệp")
    print(f"   tỷ lệ thời gian: {ours_t / bare_t:.2f}; tỷ lệ bộ nhớ: {ours_mem / bare_mem:.2f}".replace(".", ","))

    subset = rows[:pdf_rows]
    bare, bare_t, _ = measure(bare_pdf, subset, memory=False)
    ours, ours_t, _ = measure(render_pdf, BenchExporter(subset), memory=False)
    print(f"2. PDF: {pdf_rows:,} dòng".replace(",", "."))
    print(f"   WeasyPrint, bảng HTML trần:  {bare_t:6.2f} s, {pages(bare)} trang")
    print(f"   tdkt.exports.render_pdf:     {ours_t:6.2f} s, {pages(ours)} trang ({pages(ours) / ours_t:.1f} trang/s)")
    print(f"   tỷ lệ thời gian: {ours_t / bare_t:.2f}".replace(".", ","))


if __name__ == "__main__":
    main()
