"""Bench (not a test): query counts and times of the rules engine and of the nomination list.

    .venv/bin/python bench/rules_and_list.py            # a throw-away SQLite database in a temp dir
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt_bench .venv/bin/python bench/rules_and_list.py

BENCH_DATABASE_URL must name an EMPTY database made for this (it is migrated and filled).

Prints:
  1. the rule check of a round of 1,000 nominations (every rule, all nominations at once);
  2. the check of one new nomination entered into that round (what a form save costs);
  3. the nomination list page (10,000 rows, first page) next to the Django admin changelist of the
     same rows: queries and server time, and the ratio.
"""

import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp(prefix='tdkt-bench-')}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tdkt.settings")
os.environ["AXES_ENABLED"] = "false"
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from movements.models import PerformanceRating, Person, PositionAssignment, Unit  # noqa: E402
from nominations.models import EmulationTitle, Nomination, NominationRound, UnitSubmission  # noqa: E402
from nominations.rules_engine import STAGE_AUDIT, STAGE_ENTRY, evaluate  # noqa: E402
from tdkt.models import User  # noqa: E402
from tdkt.text import fold  # noqa: E402

UNITS, PER_UNIT, LEADERS_PER_UNIT = 10, 100, 30  # the last unit has 50 leaders: R1 has something to find
YEARS = list(range(2016, 2026))  # 10 rounds × 1,000 nominations = 10,000 rows


def build():
    call_command("migrate", verbosity=0)
    if Nomination.objects.exists():
        return NominationRound.objects.get(year=2025)
    agency = Unit.objects.create(name="Sở Thử nghiệm", short_code="SO", kind="agency")
    units = Unit.objects.bulk_create([Unit(name=f"Phòng {i}", short_code=f"P{i}", kind="division", parent=agency, sort_order=i)
                                      for i in range(UNITS)])
    people = []
    for index, unit in enumerate(units):
        leaders = 50 if index == UNITS - 1 else LEADERS_PER_UNIT
        for j in range(PER_UNIT):
            name = f"Nguyễn Văn Thử {unit.short_code}-{j}"
            people.append(Person(full_name=name, name_folded=fold(name), gender="male", unit=unit, date_of_birth=datetime.date(1985, 1, 1),
                                 position_title="Phó Trưởng phòng" if j < leaders else "Chuyên viên", is_leadership=j < leaders))
    people = Person.objects.bulk_create(people)
    PositionAssignment.objects.bulk_create([PositionAssignment(person=p, unit=p.unit, title=p.position_title, is_leadership=p.is_leadership,
                                                               start_date=datetime.date(2010, 1, 1)) for p in people])
    PerformanceRating.objects.bulk_create([PerformanceRating(person=p, year=y, rating="HTNV" if p.pk % 17 == 0 else "HTTNV")
                                           for p in people for y in YEARS])  # every 17th person short of LĐTT: R4 too
    ldtt = EmulationTitle.objects.get(code="LDTT")
    for year in YEARS:
        nomination_round = NominationRound.objects.create(name=f"Tổng kết năm {year}", kind="annual", year=year,
                                                          reference_date=datetime.date(year, 12, 15), deadline=datetime.date(2030, 1, 1))
        submissions = {u.pk: s for u, s in zip(units, UnitSubmission.objects.bulk_create(
            [UnitSubmission(round=nomination_round, unit=u) for u in units]), strict=True)}
        Nomination.objects.bulk_create([Nomination(round=nomination_round, submission=submissions[p.unit_id], person=p, title=ldtt,
                                                   state="submitted", achievement_summary="Hoàn thành tốt nhiệm vụ") for p in people])
    User.objects.create_superuser("bench", "", "bench-password-1", role="admin", full_name="Bench")
    return NominationRound.objects.get(year=2025)


def n(value):
    return f"{value:,}".replace(",", ".")


def measure(func, repeat=5):
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    return queries, statistics.median(times)


def main():
    print(f"Cơ sở dữ liệu: {connection.vendor} ({connection.settings_dict['NAME']})")
    start = time.perf_counter()
    nomination_round = build()
    print(f"Dữ liệu: {n(Person.objects.count())} cá nhân, {n(Nomination.objects.count())} đề nghị "
          f"({time.perf_counter() - start:.1f} s để tạo)")

    related = ("round", "submission__unit", "person", "unit", "title", "form")
    round_rows = list(Nomination.objects.filter(round=nomination_round).select_related(*related))

    def check_round():
        evaluate(round_rows, stage=STAGE_AUDIT)

    queries, seconds = measure(check_round, repeat=3)
    violations = sum(len(v) for v in evaluate(round_rows, stage=STAGE_AUDIT))
    print(f"\n1. Kiểm tra quy định cả đợt ({n(len(round_rows))} đề nghị, mọi quy định): {queries} truy vấn, {seconds * 1000:.0f} ms; "
          f"{n(violations)} vi phạm")

    person = Person.objects.filter(unit__short_code="P0", is_leadership=True).order_by("pk").first()
    candidate = Nomination(round=nomination_round, submission=UnitSubmission.objects.get(round=nomination_round, unit=person.unit),
                           person=person, title=EmulationTitle.objects.get(code="CSTDCS"), state="draft")
    queries, seconds = measure(lambda: evaluate([candidate], stage=STAGE_ENTRY))
    print(f"2. Kiểm tra một đề nghị mới trong đợt {n(len(round_rows))} đề nghị: {queries} truy vấn, {seconds * 1000:.1f} ms")

    client = Client()
    client.force_login(User.objects.get(username="bench"))
    ours = measure(lambda: client.get("/de-nghi/"))
    admin = measure(lambda: client.get("/quan-tri/nominations/nomination/"))
    total = Nomination.objects.count()
    print(f"\n3. Danh sách {n(total)} đề nghị (trang đầu):")
    print(f"   trang “Đề nghị khen thưởng”:  {ours[0]:3d} truy vấn, {ours[1] * 1000:7.1f} ms")
    print(f"   Django admin changelist:      {admin[0]:3d} truy vấn, {admin[1] * 1000:7.1f} ms")
    print(f"   tỷ lệ thời gian (trang / admin): {ours[1] / admin[1]:.2f}".replace(".", ","))


if __name__ == "__main__":
    main()
