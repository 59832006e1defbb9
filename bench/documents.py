"""Bench (not a test): a decision's documents on a real database, against the bare libraries fed the same rows.

    .venv/bin/python bench/documents.py                 # a throw-away SQLite database in a temp dir
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt_bench_docs .venv/bin/python bench/documents.py
    .venv/bin/python bench/documents.py --repeat 5       # the default

BENCH_DATABASE_URL must name an EMPTY database made for this (it is migrated and filled with two issued decisions:
one of 1,000 lines, one of 50,000 lines, over 2,400 people of 12 units with realistic names and positions).

Every measurement runs in its own subprocess (peak RSS = that process's VmHWM), ours and the baseline alternating,
and the median of ``--repeat`` runs is printed:
  1. PDF: the decision with its 1,000-line annex (``councils.documents.decision_pdf``: the ND 30 decision page, the
     annex with its heading, reference line, own page numbering and total) against WeasyPrint rendering the same HTML
     table alone (the annex's table markup, read with the same query, with the same table rules, font and A4 margins);
  2. XLSX: the annex of 50,000 lines through the shared exporter (``councils.exports.DecisionAnnexExporter`` rendered
     by ``tdkt.exports.render_xlsx``) against a bare openpyxl write-only workbook appending the same rows.
"""

import argparse
import atexit
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
if os.environ.get("TDKT_BENCH_CHILD") != "1":
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:  # a throw-away SQLite database, removed at the end
        folder = tempfile.mkdtemp(prefix="tdkt-bench-documents-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tdkt.settings")
os.environ["AXES_ENABLED"] = "false"
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402

from councils import documents, services  # noqa: E402
from councils.enums import DecisionSource, DecisionState  # noqa: E402
from councils.exports import DecisionAnnexExporter  # noqa: E402
from councils.models import Decision, DecisionLine  # noqa: E402
from movements.models import AgencyProfile, Person, Unit  # noqa: E402
from nominations.models import EmulationTitle, Nomination, NominationRound, UnitSubmission  # noqa: E402
from tdkt.documents import document_html  # noqa: E402
from tdkt.exports import font_faces, render_xlsx  # noqa: E402
from tdkt.text import fold  # noqa: E402

PDF_LINES = 1_000
XLSX_LINES = 50_000
UNIT_NAMES = [
    "Văn phòng Sở", "Thanh tra Sở", "Phòng Kế hoạch - Tài chính", "Phòng Quản lý khoa học",
    "Phòng Quản lý công nghệ và Thị trường công nghệ", "Phòng Quản lý chuyên ngành",
    "Chi cục Tiêu chuẩn Đo lường Chất lượng", "Trung tâm Thông tin và Thống kê khoa học và công nghệ",
    "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng",
    "Phòng Chuyển đổi số", "Phòng Bưu chính, Viễn thông",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Thị Thu", "Đức", "Minh", "Thị Ngọc", "Quang", "Hữu", "Thanh", "Thị Kim"]
GIVEN = ["Hằng", "Bình", "Ánh", "Dũng", "Hương", "Tuấn", "Lan", "Sơn", "Trang", "Hải", "Phương", "Thắng", "Yến", "Quyết"]
POSITIONS = ["Chuyên viên"] * 6 + ["Chuyên viên chính", "Phó Trưởng phòng", "Trưởng phòng", "Kiểm định viên", "Kế toán viên"]


def build():
    call_command("migrate", verbosity=0)
    if Decision.objects.exists():
        return
    AgencyProfile.objects.create(name="Sở Khoa học và Công nghệ", parent_name="UBND tỉnh Hưng Yên", doc_code="SKHCN",
                                 place_name="Hưng Yên", director_title="Giám đốc", director_name="Nguyễn Văn Giám")
    agency_unit = Unit.objects.create(name="Sở Khoa học và Công nghệ", short_code="SO", kind="agency")
    units = Unit.objects.bulk_create([Unit(name=name, short_code=f"P{i}", kind="division", parent=agency_unit, sort_order=i)
                                      for i, name in enumerate(UNIT_NAMES)])
    people = []
    for i in range(2_400):
        name = f"{SURNAMES[i % 10]} {MIDDLE[(i // 10) % 10]} {GIVEN[(i // 100) % 14]}"
        people.append(Person(full_name=name, name_folded=fold(name), gender="female" if "Thị" in name else "male",
                             unit=units[i % len(units)], date_of_birth=datetime.date(1965 + i % 35, 1 + i % 12, 1 + i % 28),
                             position_title=POSITIONS[i % len(POSITIONS)]))
    people = Person.objects.bulk_create(people)
    ldtt = EmulationTitle.objects.get(code="LDTT")
    for number, (year, size) in enumerate(((2025, PDF_LINES), (2024, XLSX_LINES)), start=1):
        nomination_round = NominationRound.objects.create(name=f"Tổng kết năm {year}", kind="annual", year=year,
                                                          reference_date=datetime.date(year, 12, 15), deadline=datetime.date(2030, 1, 1))
        submissions = {u.pk: s for u, s in zip(units, UnitSubmission.objects.bulk_create(
            [UnitSubmission(round=nomination_round, unit=u) for u in units]), strict=True)}
        # one nomination per line (a real annex of 50,000 lines spans years of a big agency: people repeat here)
        batch = [Nomination(round=nomination_round, submission=submissions[p.unit_id], person=p, title=ldtt, state="decided")
                 for p in (people[k % len(people)] for k in range(size))]
        nominations = Nomination.objects.bulk_create(batch, batch_size=2_000)
        decision = Decision.objects.create(
            title=ldtt, source=DecisionSource.MEETING, round=nomination_round, date=datetime.date(year + 1, 1, 5),
            number=f"{number:02d}/QĐ-SKHCN", number_int=number, state=DecisionState.ISSUED,
            subject=f"Về việc công nhận danh hiệu “Lao động tiên tiến” năm {year}",
            bases=services.default_bases(on=datetime.date(year + 1, 1, 5)),
            article1=f"Công nhận danh hiệu “Lao động tiên tiến” năm {year} cho {size} cá nhân (có danh sách kèm theo).",
            article2=services.decisions.ARTICLE2, article3=services.decisions.ARTICLE3, recipients=["Như Điều 3;", "Lưu: VT, VP."],
            signer_position="Giám đốc", signer_authority="Giám đốc", signer_name="Nguyễn Văn Giám")
        DecisionLine.objects.bulk_create([DecisionLine(decision=decision, nomination=n, position=k, coefficient=Decimal("0.3"),
                                                       base_salary=2340000, amount=710000)
                                          for k, n in enumerate(nominations, start=1)], batch_size=2_000)


# ---------------------------------------------------------------- one measurement (in a child process)

def decision_of(lines):
    return Decision.objects.get(number_int=1 if lines == PDF_LINES else 2)


#: The table rules of static/css/document.css (table.grid), copied: the bare side lays out the same table with them.
GRID_CSS = ("table.grid { width: 100%; border-collapse: collapse; font-size: 12pt; line-height: 1.2; }"
            "table.grid thead { display: table-header-group; }"
            "table.grid th, table.grid td { border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: top; }"
            "table.grid th { font-weight: bold; text-align: center; } table.grid td.center { text-align: center; }"
            "table.grid td.right { text-align: right; white-space: nowrap; } table.grid tr.totals td { font-weight: bold; }"
            "table.grid tr { break-inside: avoid; }")


def annex_table_html(decision):
    """The annex's table exactly as our document prints it (read with the same query): the bare side's input."""
    html_text = document_html(documents.decision_document(decision, lines=services.decision_lines(decision)))
    return re.search(r'<section class="annex.*?(<table class="grid">.*?</table>)', html_text, re.S).group(1)


def bare_pdf(decision, path):
    """WeasyPrint on the same HTML table alone (same font, size, borders, A4 margins; no header block, no decision
    page, no annex heading or page numbers). The page is in Vietnamese like ours (``lang="vi"``): without it WeasyPrint
    skips the per-text language work (Pango language, the line-break and hyphenation dictionary look-ups, ≈ 7 % of the
    layout), and the comparison measured that attribute rather than our document."""
    from weasyprint import HTML

    faces = "".join(f'@font-face {{ font-family: "Tinos"; font-weight: {f["weight"]}; font-style: {f["style"]}; '
                    f'src: url("{f["url"]}"); }}' for f in font_faces())
    page = (f"<html lang=\"vi\"><head><meta charset=\"utf-8\"><style>{faces}@page {{ size: A4; margin: 20mm 15mm 20mm 30mm }} "
            f"html {{ font-family: Tinos; font-size: 14pt }} body {{ margin: 0 }} {GRID_CSS}</style></head>"
            f"<body>{annex_table_html(decision)}</body></html>")
    HTML(string=page).write_pdf(path)


def bare_xlsx(decision, path):
    """openpyxl write-only, appending the exporter's rows (the same query, the same values)."""
    from openpyxl import Workbook

    exporter = DecisionAnnexExporter(decision)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["STT", *(str(c.header) for c in exporter.columns)])
    for index, row in enumerate(exporter.rows(), start=1):
        ws.append((index, *row))
    wb.save(path)


def peak_rss_mb():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def child(fmt, side, lines):
    translation.activate("vi")
    decision = decision_of(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"out.{fmt}"
        start, cpu = time.perf_counter(), time.process_time()
        if fmt == "pdf":
            if side == "ours":
                path.write_bytes(documents.decision_pdf(decision, lines=services.decision_lines(decision)))
            else:
                bare_pdf(decision, str(path))
        elif side == "ours":
            render_xlsx(DecisionAnnexExporter(decision), output=str(path))
        else:
            bare_xlsx(decision, str(path))
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        pages = None
        if fmt == "pdf":
            from pypdf import PdfReader

            pages = len(PdfReader(str(path)).pages)
        print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mb": peak_rss_mb(), "pages": pages, "bytes": path.stat().st_size}))


# ---------------------------------------------------------------- the parent: alternate, take medians

def run(fmt, side, lines):
    env = dict(os.environ, TDKT_BENCH_CHILD="1")
    out = subprocess.run([sys.executable, __file__, "--child", fmt, side, str(lines)], env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{fmt} {side} {lines}: {out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(fmt, lines, repeat, sides=("ours", "bare")):
    results = {side: [] for side in sides}
    for i in range(repeat):
        for side in (sides if i % 2 == 0 else tuple(reversed(sides))):
            results[side].append(run(fmt, side, lines))
    return {side: {key: statistics.median(r[key] for r in runs) if runs[0][key] is not None else None for key in runs[0]}
            for side, runs in results.items()}


def n(value):
    return f"{value:,}".replace(",", ".")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", nargs=3)
    parser.add_argument("--only", choices=["pdf", "xlsx"], help="run one of the two comparisons")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    print(f"Cơ sở dữ liệu: {connection.vendor} ({connection.settings_dict['NAME']})")
    start = time.perf_counter()
    build()
    print(f"Dữ liệu: {n(DecisionLine.objects.count())} dòng quyết định ({time.perf_counter() - start:.1f} s để tạo)")
    connection.close()

    if args.only != "xlsx":
        pdf_comparison(args.repeat)
    if args.only != "pdf":
        xlsx_comparison(args.repeat)


def pdf_comparison(repeat):
    r = compare("pdf", PDF_LINES, repeat)
    ours, bare = r["ours"], r["bare"]
    print(f"\n1. PDF quyết định + phụ lục {n(PDF_LINES)} dòng (trung vị {repeat} lần, mỗi lần một tiến trình):")
    print(f"   WeasyPrint, bảng HTML trần:        {bare['seconds']:6.2f} s, {bare['pages']:4.0f} trang, RSS đỉnh {bare['rss_mb']:5.0f} MB")
    print(f"   councils.documents.decision_pdf:   {ours['seconds']:6.2f} s, {ours['pages']:4.0f} trang, RSS đỉnh {ours['rss_mb']:5.0f} MB")
    print(f"ratio pdf decision {PDF_LINES} ours/weasyprint = {ours['seconds'] / bare['seconds']:.2f} (target ≤ 1.2)")
    print(f"ratio pdf decision {PDF_LINES} ours/weasyprint cpu = {ours['cpu'] / bare['cpu']:.2f} "
          f"(CPU time of the process, less sensitive to a loaded machine: {ours['cpu']:.2f} s / {bare['cpu']:.2f} s)")


def xlsx_comparison(repeat):
    r = compare("xlsx", XLSX_LINES, repeat)
    ours, bare = r["ours"], r["bare"]
    print(f"\n2. XLSX phụ lục {n(XLSX_LINES)} dòng (trung vị {repeat} lần):")
    print(f"   openpyxl trần, cùng truy vấn:      {bare['seconds']:6.2f} s, RSS đỉnh {bare['rss_mb']:5.0f} MB")
    print(f"   tdkt.exports.render_xlsx:          {ours['seconds']:6.2f} s, RSS đỉnh {ours['rss_mb']:5.0f} MB, "
          f"{ours['bytes'] / 2**20:.1f} MB tệp")
    print(f"ratio xlsx annex {XLSX_LINES} ours/openpyxl = {ours['seconds'] / bare['seconds']:.2f} (target ≤ 1.3)")
    print(f"rss xlsx annex {XLSX_LINES} = {ours['rss_mb']:.0f} MB (target ≤ 100)")


if __name__ == "__main__":
    main()
