"""Bench (not a test): a unit's nomination list imported from Excel, on the path a user's click runs.

    .venv/bin/python bench/imports.py            # a throw-away SQLite database in a temp dir
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt_bench_imports .venv/bin/python bench/imports.py

BENCH_DATABASE_URL must name an EMPTY database made for this (it is migrated and filled). Options:
``--sizes 2000,4000,5000`` (data rows of the generated lists), ``--repeat 5``, ``--commit-repeat-5000 5``.

The data: one agency, the importing unit with 5,200 people (a post each, 30 % of them leaders, a rating for the
year) and ten other units of 300 people who already sent a list in the round (3,000 nominations), so the rules
read a realistic table. For each size, a realistic .xlsx (the template's header and sample row, names of the unit's
people with a birth date where two share a name, “Lao động tiên tiến” or “Giấy khen”, a summary of 300–700
characters) is written once, then measured, each measurement in its own subprocess (peak RSS per process),
each repetition measuring every size and side, in the reverse order every other time (so a load that changes
during the run weighs on both sides of each ratio alike), median of the repetitions:

- ``openpyxl``: ``load_workbook(read_only=True)`` of the same file, every cell's value read (the baseline);
- ``preview``: ``NominationImporter.preview`` (what the view runs on upload);
- ``commit``: ``NominationImporter.save`` (what the view, or the task worker for a large list, runs on
  “Xác nhận nhập”: the file read again, then ``services.nominations_import``); each commit really commits, then
  its nominations are deleted outside the timed part (their audit events stay: the audit table is append-only).

Prints the times, the peak RSS and ``ratio`` lines: commit/preview at 5,000 rows (target ≤ 3), commit 4,000/2,000
(target ≤ 2.3: linear), preview/openpyxl; then checks that a list with one failing row saves nothing.
"""

import argparse
import datetime
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
if "BENCH_CHILD" not in os.environ:
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or \
        f"sqlite:///{tempfile.mkdtemp(prefix='tdkt-bench-imports-')}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tdkt.settings")
os.environ["AXES_ENABLED"] = "false"
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from movements.models import PerformanceRating, Person, PositionAssignment, Unit  # noqa: E402
from nominations.importers import NominationImporter  # noqa: E402
from nominations.models import EmulationTitle, Nomination, NominationRound, UnitSubmission  # noqa: E402
from tdkt.models import User  # noqa: E402
from tdkt.text import fold  # noqa: E402

YEAR = 2025
UNIT_PEOPLE, OTHER_UNITS, OTHER_PEOPLE = 5200, 10, 300
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLES = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "Quốc", "Thanh", "Xuân", "Hoài", "Bảo"]
GIVEN = ["An", "Ánh", "Bảo", "Bình", "Chi", "Cường", "Dũng", "Duyên", "Giang", "Hà", "Hải", "Hằng", "Hiếu", "Hoa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Nhung", "Phong", "Phúc", "Phương",
         "Quân", "Quang", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Trang", "Trung", "Tuấn", "Vân", "Việt", "Yến"]
PHRASES = [
    "Hoàn thành xuất sắc nhiệm vụ được giao năm {y}", "tham mưu xây dựng kế hoạch thực hiện {n} nhiệm vụ khoa học và công nghệ cấp tỉnh",
    "chủ trì thẩm định {n} đề tài, dự án về {w}", "tích cực tham gia phong trào thi đua “Đổi mới sáng tạo, ứng dụng tiến bộ khoa học"
    " và công nghệ”", "có sáng kiến “{w} trong {w2}” được Hội đồng sáng kiến cơ sở công nhận",
    "hướng dẫn {n} doanh nghiệp đăng ký quyền sở hữu trí tuệ và xây dựng nhãn hiệu cho sản phẩm {w}",
    "phối hợp kiểm tra {n} cơ sở về tiêu chuẩn, đo lường, chất lượng", "giải quyết đúng hạn {n} hồ sơ thủ tục hành chính, không có hồ sơ trễ hạn",
    "đạt {p}% chỉ tiêu kế hoạch năm về {w}", "tổ chức {n} hội thảo chuyên đề về chuyển đổi số trong {w2}",
    "thực hiện tốt quy chế dân chủ ở cơ sở, đoàn kết, giúp đỡ đồng nghiệp", "tham gia biên soạn {n} tài liệu hướng dẫn về {w}",
]
TOPICS = ["ứng dụng công nghệ sinh học", "quản lý chất lượng sản phẩm", "số hoá quy trình nghiệp vụ", "năng suất lao động",
          "đo lường thử nghiệm", "công nghệ thông tin", "giống cây trồng chịu hạn", "an toàn bức xạ", "sở hữu trí tuệ",
          "khởi nghiệp đổi mới sáng tạo", "thông tin thống kê khoa học", "chuyển giao công nghệ cho nông dân"]
HEADERS = ["STT", "Cá nhân / Tập thể", "Họ và tên / Tên tập thể", "Ngày sinh", "Danh hiệu / Hình thức", "Tóm tắt thành tích"]


def n_(value):
    return f"{value:,}".replace(",", ".")


# ---------------------------------------------------------------- the database and the files

def summary(rng):
    parts, target = [], rng.randint(300, 700)
    while sum(len(p) + 2 for p in parts) < target:
        parts.append(rng.choice(PHRASES).format(y=YEAR, n=rng.randint(2, 60), p=rng.randint(95, 130), w=rng.choice(TOPICS),
                                                w2=rng.choice(TOPICS)))
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]


def build():
    call_command("migrate", verbosity=0)
    if Unit.objects.filter(short_code="NHAP").exists():
        return
    rng = random.Random(9)
    agency = Unit.objects.create(name="Sở Thử nghiệm", short_code="SO", kind="agency")
    unit = Unit.objects.create(name="Trung tâm Nhập liệu", short_code="NHAP", kind="center", parent=agency, sort_order=0)
    others = Unit.objects.bulk_create([Unit(name=f"Phòng {i}", short_code=f"P{i}", kind="division", parent=agency, sort_order=i + 1)
                                       for i in range(OTHER_UNITS)])
    people, names = [], set()
    for index in range(UNIT_PEOPLE):
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(MIDDLES)} {rng.choice(GIVEN)}"
        if name in names and index % 50:  # most names unique; every 50th a namesake (told apart by the birth date)
            name = f"{name} {rng.choice(GIVEN)}"
        names.add(name)
        people.append(Person(full_name=name, name_folded=fold(name), gender="female" if index % 2 else "male", unit=unit,
                             date_of_birth=datetime.date(1965 + index % 35, 1 + index % 12, 1 + index % 28),
                             position_title="Phó Giám đốc" if index % 10 < 3 else "Viên chức", is_leadership=index % 10 < 3))
    for other in others:
        for j in range(OTHER_PEOPLE):
            name = f"Nguyễn Văn Khác {other.short_code}-{j}"
            people.append(Person(full_name=name, name_folded=fold(name), gender="male", unit=other, date_of_birth=datetime.date(1980, 1, 1),
                                 position_title="Trưởng phòng" if j < 60 else "Chuyên viên", is_leadership=j < 60))
    people = Person.objects.bulk_create(people, batch_size=1000)
    PositionAssignment.objects.bulk_create([PositionAssignment(person=p, unit_id=p.unit_id, title=p.position_title,
                                                               is_leadership=p.is_leadership, start_date=datetime.date(2010, 1, 1))
                                            for p in people], batch_size=1000)
    PerformanceRating.objects.bulk_create([PerformanceRating(person=p, year=year, rating="HTTNV") for p in people
                                           for year in (YEAR - 1, YEAR)], batch_size=2000)
    nomination_round = NominationRound.objects.create(name=f"Tổng kết năm {YEAR}", kind="annual", year=YEAR,
                                                      reference_date=datetime.date(YEAR, 12, 15),
                                                      deadline=timezone.localdate() + datetime.timedelta(days=365))
    ldtt = EmulationTitle.objects.get(code="LDTT")
    submissions = {o.pk: UnitSubmission.objects.create(round=nomination_round, unit=o, submitted_at=timezone.now()) for o in others}
    UnitSubmission.objects.create(round=nomination_round, unit=unit)  # opened before: every commit below finds it
    Nomination.objects.bulk_create([Nomination(round=nomination_round, submission=submissions[p.unit_id], person=p, title=ldtt,
                                               state="submitted", achievement_summary="Hoàn thành tốt nhiệm vụ")
                                    for p in people if p.unit_id != unit.pk], batch_size=1000)
    User.objects.create_user("bench_head", password="bench-password-1", role="unit", unit=unit, full_name="Trưởng đơn vị")


def write_list(size, path, *, failing=False):
    """A list of ``size`` data rows of the unit's people (each once), after the template's sample row."""
    from openpyxl import Workbook

    rng = random.Random(size)
    unit = Unit.objects.get(short_code="NHAP")
    people = list(Person.objects.filter(unit=unit).order_by("pk").values_list("full_name", "date_of_birth"))[:size]
    counts = {}
    for name, _born in people:
        counts[name] = counts.get(name, 0) + 1
    namesakes = {name for name, count in counts.items() if count > 1}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(HEADERS)
    sheet.append(["Ví dụ", "Cá nhân", "Nguyễn Văn A", "05/01/1985", "Lao động tiên tiến", "Hoàn thành tốt nhiệm vụ được giao."])
    for index, (name, born) in enumerate(people, start=1):
        award = "Giấy khen" if index % 10 == 0 else ("LĐTT" if index % 2 else "Lao động tiên tiến")
        sheet.append([index, "Cá nhân", name, born.strftime("%d/%m/%Y") if name in namesakes else None, award, summary(rng)])
    if failing:  # the first person again, same title: R5 (one achievement, one award) refuses the whole list
        name, born = people[0]
        sheet.append([size + 1, "Cá nhân", name, born.strftime("%d/%m/%Y") if name in namesakes else None, "LĐTT", summary(rng)])
    workbook.save(path)
    return path


# ---------------------------------------------------------------- one measurement (in a subprocess)

def child(op, path):
    data = Path(path).read_bytes()
    unit = Unit.objects.get(short_code="NHAP")
    nomination_round = NominationRound.objects.get(year=YEAR)
    importer = NominationImporter(nomination_round=nomination_round, unit=unit)
    actor = User.objects.get(username="bench_head")
    upload = SimpleUploadedFile(Path(path).name, data)
    rows, extra = 0, {}
    start = time.perf_counter()
    if op == "openpyxl":
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        for row in workbook["Danh sách"].iter_rows():
            rows += 1
            for cell in row:
                _value = cell.value
        workbook.close()
        seconds = time.perf_counter() - start
    elif op == "preview":
        preview = importer.preview(upload)
        seconds = time.perf_counter() - start
        assert preview.ok, preview.all_errors[:5]
        rows = len(preview.rows)
    elif op == "commit":
        before = Nomination.objects.count()
        created = importer.save(upload, actor=actor)
        seconds = time.perf_counter() - start
        rows = len(created)
        assert Nomination.objects.count() == before + rows
        Nomination.objects.filter(pk__in=[n.pk for n in created]).delete()  # clean up, outside the timed part
    elif op == "failing":
        before = Nomination.objects.count()
        try:
            importer.save(upload, actor=actor)
        except ValidationError as exc:
            extra["messages"] = exc.messages[:2]
        seconds = time.perf_counter() - start
        extra["saved"] = Nomination.objects.count() - before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    print(json.dumps({"op": op, "seconds": seconds, "rows": rows, "peak_mb": peak, **extra}))


def run_child(op, path):
    env = dict(os.environ, BENCH_CHILD="1")
    out = subprocess.run([sys.executable, __file__, "--child", op, str(path)], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the run

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2)
    parser.add_argument("--sizes", default="2000,4000,5000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--commit-repeat-5000", type=int, default=5)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(f"Cơ sở dữ liệu: {connection.vendor} ({connection.settings_dict['NAME']})")
    start = time.perf_counter()
    build()
    print(f"Dữ liệu: {n_(Person.objects.count())} cá nhân, {n_(Nomination.objects.count())} đề nghị có sẵn "
          f"({time.perf_counter() - start:.1f} s để tạo)")
    folder = Path(tempfile.mkdtemp(prefix="tdkt-bench-imports-files-"))
    sizes = [int(s) for s in args.sizes.split(",")]
    paths = {size: write_list(size, folder / f"danh-sach-{size}.xlsx") for size in sizes}
    sides = ["openpyxl", "preview", "commit"]
    wanted = {(size, side): args.commit_repeat_5000 if (side == "commit" and size >= 5000) else args.repeat
              for size in sizes for side in sides}
    runs = {key: [] for key in wanted}
    # every repetition measures every size and side, the order reversed every other time: a load that changes
    # during the run weighs on both sides of each ratio alike
    for rep in range(max(wanted.values())):
        order = [(size, side) for size in sizes for side in sides]
        for size, side in (order if rep % 2 == 0 else order[::-1]):
            if len(runs[size, side]) < wanted[size, side]:
                runs[size, side].append(run_child(side, paths[size]))
    results = {size: {side: {"seconds": statistics.median(r["seconds"] for r in runs[size, side]),
                             "peak_mb": max(r["peak_mb"] for r in runs[size, side]), "n": len(runs[size, side]),
                             "rows": runs[size, side][0]["rows"]} for side in sides} for size in sizes}
    for size in sizes:
        print(f"\n{n_(size)} dòng ({paths[size].stat().st_size / 2**20:.2f} MB):")
        for side in sides:
            r = results[size][side]
            print(f"  {side:9s} {r['seconds'] * 1000:9.0f} ms  (trung vị của {r['n']})  RSS đỉnh {r['peak_mb']:6.0f} MB  "
                  f"{n_(r['rows'])} dòng")
    print()
    for size in sizes:
        r = results[size]
        print(f"ratio preview/openpyxl {size} = {r['preview']['seconds'] / r['openpyxl']['seconds']:.2f}")
    for size in sizes:
        r = results[size]
        target = " (target ≤ 3)" if size == 5000 else ""
        print(f"ratio commit/preview {size} = {r['commit']['seconds'] / r['preview']['seconds']:.2f}{target}")
    if 2000 in results and 4000 in results:
        print(f"ratio commit 4000/2000 = {results[4000]['commit']['seconds'] / results[2000]['commit']['seconds']:.2f} (target ≤ 2.3)")
        print(f"ratio preview 4000/2000 = {results[4000]['preview']['seconds'] / results[2000]['preview']['seconds']:.2f}")
    path = write_list(min(sizes), folder / "danh-sach-loi.xlsx", failing=True)
    failing = run_child("failing", path)
    verdict = "ok" if failing["saved"] == 0 and failing.get("messages") else "LỖI"
    print(f"\nDanh sách {n_(min(sizes) + 1)} dòng có một dòng lỗi: {failing['saved']} đề nghị được lưu ({verdict}); "
          f"{failing['seconds'] * 1000:.0f} ms; thông báo đầu: {failing.get('messages', ['—'])[0][:110]}")


if __name__ == "__main__":
    main()
