"""Bench (not a test): the exports users run, on a real database, against the bare libraries fed by the same query.

    .venv/bin/python bench/exports.py                 # a throw-away SQLite database in a temp dir
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt_bench .venv/bin/python bench/exports.py
    .venv/bin/python bench/exports.py --repeat 5 --slow-repeat 3   # the defaults

BENCH_DATABASE_URL must name an EMPTY database made for this (it is migrated and filled with 50,000
nominations: rounds of 1,000, 3,000 and 10,000 nominations and seven more; realistic names, units and
achievement summaries of 60–260 characters (mean ≈ 160), a few collective nominations and return reasons).

Every measurement runs in its own subprocess (peak RSS = that process's VmHWM: Python, Django, the
library and the export), ours and the baseline alternating, and the median is printed:
  1. XLSX, the whole list (50,000 rows): ``nominations.list`` built for the office user as the export
     view builds it, rendered by ``tdkt.exports.render_xlsx`` to a file, against a bare openpyxl
     write-only workbook appending the same query's rows (``exporter.values()``, plain values, the STT
     column) to a file;
  2. PDF, one round's list (1,000 and 3,000 rows): ``tdkt.exports.render_pdf`` (ND 30 header, widths
     measured on the content, chunks merged) against WeasyPrint rendering a minimal HTML table of the
     same query's rows (same font and size, A4 landscape, header row repeated): time, pages, peak RSS;
  3. the same at 3,000 rows;
  4. PDF, the round of 10,000 rows: our peak RSS (WeasyPrint on one 10,000-row table needs ≈ 3 GB).
Medians of ``--repeat`` runs (default 5) for XLSX and PDF 1,000, of ``--slow-repeat`` (default 3) for
PDF 3,000 and 10,000.
"""

import argparse
import atexit
import datetime
import html
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
if os.environ.get("TDKT_BENCH_CHILD") != "1":
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:  # a throw-away SQLite database, removed at the end
        folder = tempfile.mkdtemp(prefix="tdkt-bench-exports-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tdkt.settings")
os.environ["AXES_ENABLED"] = "false"
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.utils import translation  # noqa: E402

from movements.models import Person, Unit  # noqa: E402
from nominations.models import CommendationForm, EmulationTitle, Nomination, NominationRound, UnitSubmission  # noqa: E402
from tdkt.exports import build_export, font_faces, render_pdf, render_xlsx  # noqa: E402
from tdkt.hooks import agency  # noqa: E402
from tdkt.models import User  # noqa: E402
from tdkt.text import fold  # noqa: E402

XLSX_ROWS = 50_000
ROUND_SIZES = {2025: 1_000, 2024: 3_000, 2023: 10_000}  # the PDF cases; the other rounds share the rest
OTHER_YEARS = list(range(2016, 2023))
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
PHRASES = [
    "Hoàn thành xuất sắc nhiệm vụ được giao", "hoàn thành tốt nhiệm vụ được giao",
    "chủ trì 02 đề tài khoa học cấp tỉnh đã nghiệm thu đạt loại khá",
    "có 01 sáng kiến được Hội đồng sáng kiến cơ sở công nhận, áp dụng hiệu quả tại đơn vị",
    "tích cực tham gia các phong trào thi đua của Sở", "tham mưu ban hành 05 văn bản hướng dẫn về khoa học và công nghệ",
    "hướng dẫn 12 doanh nghiệp đăng ký quyền sở hữu công nghiệp", "hoàn thành 100% chỉ tiêu kiểm định, hiệu chuẩn phương tiện đo",
    "thẩm định 18 hồ sơ chuyển giao công nghệ đúng thời hạn", "không có cán bộ vi phạm kỷ luật",
    "tổ chức thành công Hội chợ công nghệ và thiết bị của tỉnh", "chấp hành tốt chủ trương, chính sách của Đảng, pháp luật của Nhà nước",
    "đơn vị đạt danh hiệu Tập thể lao động tiên tiến năm trước", "tham gia biên soạn tài liệu tập huấn về đo lường cho 9 huyện",
]
STATES = (["submitted"] * 30 + ["vetted_pass"] * 20 + ["council_passed"] * 15 + ["decided"] * 15 + ["draft"] * 10
          + ["returned"] * 4 + ["resubmitted"] * 3 + ["vetted_fail"] * 2 + ["council_rejected"])
REASONS = ["Thiếu minh chứng sáng kiến được công nhận", "Chưa đủ số năm đạt danh hiệu Lao động tiên tiến",
           "Hồ sơ thiếu báo cáo thành tích có xác nhận của thủ trưởng đơn vị"]
COLUMNS = ["STT", "Họ và tên / Tên tập thể", "Ngày sinh", "Chức vụ", "Đơn vị đề nghị", "Danh hiệu / Hình thức", "Đợt đề nghị",
           "Năm", "Trạng thái", "Tóm tắt thành tích", "Lý do trả lại, không đạt"]


def summary(rng):
    text, length = "", rng.randint(60, 260)
    while len(text) < length:
        phrase = rng.choice(PHRASES)
        text = f"{text}; {phrase}" if text else phrase[0].upper() + phrase[1:]
    return text[:length].rsplit(" ", 1)[0].rstrip("; ,") + "."


def build():
    call_command("migrate", verbosity=0)
    if Nomination.objects.exists():
        return
    rng = random.Random(9)
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
    person_titles = [EmulationTitle.objects.get(code="LDTT")] * 14 + [EmulationTitle.objects.get(code="CSTDCS")] * 3
    person_forms = [CommendationForm.objects.get(code="GIAY_KHEN")] * 2 + [CommendationForm.objects.get(code="BK_TINH")]
    unit_title = EmulationTitle.objects.get(code="TTLDTT")
    rest = XLSX_ROWS - sum(ROUND_SIZES.values())
    sizes = dict(ROUND_SIZES) | {year: rest // len(OTHER_YEARS) + (rest % len(OTHER_YEARS) if i == 0 else 0)
                                 for i, year in enumerate(OTHER_YEARS)}
    for year, size in sorted(sizes.items()):
        nomination_round = NominationRound.objects.create(name=f"Tổng kết năm {year}", kind="annual", year=year,
                                                          reference_date=datetime.date(year, 12, 15), deadline=datetime.date(2030, 1, 1))
        submissions = {u.pk: s for u, s in zip(units, UnitSubmission.objects.bulk_create(
            [UnitSubmission(round=nomination_round, unit=u) for u in units]), strict=True)}
        batch = []
        for k in range(size):
            state = rng.choice(STATES)
            common = dict(round=nomination_round, state=state, achievement_summary=summary(rng),
                          last_reason=rng.choice(REASONS) if state in ("returned", "vetted_fail", "council_rejected") else "")
            if k % 33 == 0:  # about 3 % collective nominations
                unit = units[(k // 33) % len(units)]
                batch.append(Nomination(submission=submissions[unit.pk], unit=unit, title=unit_title, **common))
                continue
            person = people[(k * 7 + year) % len(people)]
            award = rng.choice(person_titles + person_forms)
            batch.append(Nomination(submission=submissions[person.unit_id], person=person,
                                    **({"title": award} if isinstance(award, EmulationTitle) else {"form": award}), **common))
        Nomination.objects.bulk_create(batch, batch_size=2_000)
    User.objects.create_superuser("bench", "", "bench-password-1", role="admin", full_name="Bench")


# ---------------------------------------------------------------- one measurement (in a child process)

def exporter_for(rows):
    params = QueryDict(mutable=True)
    if rows != XLSX_ROWS:
        params["round"] = str(NominationRound.objects.get(year={v: k for k, v in ROUND_SIZES.items()}[rows]).pk)
    return build_export("nominations.list", User.objects.get(username="bench"), params)


def bare_xlsx(exporter, path):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(COLUMNS)
    for index, row in enumerate(exporter.values().iterator(chunk_size=2000), start=1):
        ws.append((index, *row))
    wb.save(path)


def bare_pdf(exporter, path):
    from weasyprint import HTML

    font = next(f["url"] for f in font_faces() if f["weight"] == "normal" and f["style"] == "normal")

    def cell(value):
        return "" if value is None else html.escape(str(value))

    body = "".join(f"<tr><td>{i}</td>{''.join(f'<td>{cell(v)}</td>' for v in row)}</tr>"
                   for i, row in enumerate(exporter.values().iterator(chunk_size=2000), start=1))
    page = (f'<html><head><style>@font-face {{ font-family: "Tinos"; src: url("{font}"); }}'
            "@page { size: A4 landscape; margin: 20mm 15mm 20mm 20mm } body { font: 9.5pt Tinos }"
            "table { border-collapse: collapse; width: 100% } td, th { border: 0.6pt solid #000; vertical-align: top }"
            "thead { display: table-header-group }</style></head><body><table><thead><tr>"
            f"{''.join(f'<th>{c}</th>' for c in COLUMNS)}</tr></thead><tbody>{body}</tbody></table></body></html>")
    HTML(string=page).write_pdf(path)


def peak_rss_mb():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def child(fmt, side, rows):
    translation.activate("vi")
    exporter = exporter_for(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"out.{fmt}"
        start = time.perf_counter()
        if fmt == "xlsx":
            render_xlsx(exporter, output=str(path)) if side == "ours" else bare_xlsx(exporter, str(path))
        else:
            render_pdf(exporter, agency=agency(), output=str(path)) if side == "ours" else bare_pdf(exporter, str(path))
        seconds = time.perf_counter() - start
        pages = None
        if fmt == "pdf":
            from pypdf import PdfReader

            pages = len(PdfReader(str(path)).pages)
        print(json.dumps({"seconds": seconds, "rss_mb": peak_rss_mb(), "pages": pages, "bytes": path.stat().st_size}))


# ---------------------------------------------------------------- the parent: alternate, take medians

def run(fmt, side, rows):
    env = dict(os.environ, TDKT_BENCH_CHILD="1")
    out = subprocess.run([sys.executable, __file__, "--child", fmt, side, str(rows)], env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{fmt} {side} {rows}: {out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(fmt, rows, repeat, sides=("ours", "bare")):
    results = {side: [] for side in sides}
    for i in range(repeat):
        for side in (sides if i % 2 == 0 else tuple(reversed(sides))):
            results[side].append(run(fmt, side, rows))
    return {side: {key: statistics.median(r[key] for r in runs) if runs[0][key] is not None else None for key in runs[0]}
            for side, runs in results.items()}


def n(value):
    return f"{value:,}".replace(",", ".")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--slow-repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    print(f"Cơ sở dữ liệu: {connection.vendor} ({connection.settings_dict['NAME']})")
    start = time.perf_counter()
    build()
    print(f"Dữ liệu: {n(Nomination.objects.count())} đề nghị, {n(Person.objects.count())} cá nhân "
          f"({time.perf_counter() - start:.1f} s để tạo)")
    connection.close()

    r = compare("xlsx", XLSX_ROWS, args.repeat)
    ours, bare = r["ours"], r["bare"]
    print(f"\n1. XLSX {n(XLSX_ROWS)} đề nghị × 11 cột (trung vị {args.repeat} lần, mỗi lần một tiến trình):")
    print(f"   openpyxl trần, cùng truy vấn:  {bare['seconds']:6.2f} s, RSS đỉnh {bare['rss_mb']:5.0f} MB")
    print(f"   tdkt.exports.render_xlsx:      {ours['seconds']:6.2f} s, RSS đỉnh {ours['rss_mb']:5.0f} MB, "
          f"{ours['bytes'] / 2**20:.1f} MB tệp")
    print(f"ratio xlsx {XLSX_ROWS} ours/openpyxl = {ours['seconds'] / bare['seconds']:.2f} (target ≤ 1.3)")
    print(f"rss xlsx {XLSX_ROWS} = {ours['rss_mb']:.0f} MB (target ≤ 100)")

    for rows, repeat in ((1_000, args.repeat), (3_000, args.slow_repeat)):
        r = compare("pdf", rows, repeat)
        ours, bare = r["ours"], r["bare"]
        print(f"\n{2 if rows == 1_000 else 3}. PDF {n(rows)} dòng (trung vị {repeat} lần):")
        print(f"   WeasyPrint, bảng HTML trần:   {bare['seconds']:6.2f} s, {bare['pages']:4.0f} trang, RSS đỉnh {bare['rss_mb']:5.0f} MB")
        print(f"   tdkt.exports.render_pdf:      {ours['seconds']:6.2f} s, {ours['pages']:4.0f} trang, RSS đỉnh {ours['rss_mb']:5.0f} MB")
        if rows == 1_000:
            print(f"pdf rows/page = {rows / ours['pages']:.1f} (target ≥ 12)")
        print(f"ratio pdf {rows} ours/weasyprint = {ours['seconds'] / bare['seconds']:.2f}")
        print(f"rss pdf {rows} ours = {ours['rss_mb']:.0f} MB, weasyprint = {bare['rss_mb']:.0f} MB")

    ours = compare("pdf", 10_000, args.slow_repeat, sides=("ours",))["ours"]
    print(f"\n4. PDF {n(10_000)} dòng (trung vị {args.slow_repeat} lần): {ours['seconds']:.1f} s, {ours['pages']:.0f} trang")
    print(f"rss pdf 10000 = {ours['rss_mb']:.0f} MB (target ≤ 500)")


if __name__ == "__main__":
    main()
