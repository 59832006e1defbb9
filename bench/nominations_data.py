"""The data of the nomination benches (``rules_and_list.py``, ``load.py``): 10 units of 100 people (positions, ratings),
rounds of 1,000 nominations written with bulk_create, and two users. Imported after ``django.setup()``.

``build(alias, rounds_per_year)``: ``rounds_per_year`` rounds in each year 2016–2025 (1 → 10,000 nominations,
10 → 100,000). The database must be migrated; a database that already holds nominations is left as it is.
"""

import datetime

from django.db import connections

from movements.models import PerformanceRating, Person, PositionAssignment, Unit
from nominations.models import EmulationTitle, Nomination, NominationRound, UnitSubmission
from tdkt.models import User
from tdkt.text import fold

UNITS, PER_UNIT, LEADERS_PER_UNIT = 10, 100, 30  # the last unit has 50 leaders: R1 has something to find
YEARS = list(range(2016, 2026))
OFFICE, UNIT_HEAD, PASSWORD = "bench", "bench_unit", "bench-password-1"


def build(alias, rounds_per_year):
    if Nomination.objects.using(alias).exists():
        return
    db = Unit.objects.db_manager(alias)
    agency = db.create(name="Sở Thử nghiệm", short_code="SO", kind="agency")
    units = db.bulk_create([Unit(name=f"Phòng {i}", short_code=f"P{i}", kind="division", parent=agency, sort_order=i)
                            for i in range(UNITS)])
    people = []
    for index, unit in enumerate(units):
        leaders = 50 if index == UNITS - 1 else LEADERS_PER_UNIT
        for j in range(PER_UNIT):
            name = f"Nguyễn Văn Thử {unit.short_code}-{j}"
            people.append(Person(full_name=name, name_folded=fold(name), gender="male", unit=unit, date_of_birth=datetime.date(1985, 1, 1),
                                 position_title="Phó Trưởng phòng" if j < leaders else "Chuyên viên", is_leadership=j < leaders))
    people = Person.objects.db_manager(alias).bulk_create(people)
    PositionAssignment.objects.db_manager(alias).bulk_create([
        PositionAssignment(person=p, unit=p.unit, title=p.position_title, is_leadership=p.is_leadership,
                           start_date=datetime.date(2010, 1, 1)) for p in people])
    PerformanceRating.objects.db_manager(alias).bulk_create([
        PerformanceRating(person=p, year=y, rating="HTNV" if p.pk % 17 == 0 else "HTTNV")
        for p in people for y in YEARS])  # every 17th person short of LĐTT: R4 too
    ldtt = EmulationTitle.objects.using(alias).get(code="LDTT")
    for year in YEARS:
        for k in range(rounds_per_year):
            nomination_round = NominationRound.objects.db_manager(alias).create(
                name=f"Tổng kết năm {year}" if k == 0 else f"Đợt {k} năm {year}", kind="annual" if k == 0 else "other", year=year,
                reference_date=datetime.date(year, 12, 15), deadline=datetime.date(2030, 1, 1))
            submissions = {u.pk: s for u, s in zip(units, UnitSubmission.objects.db_manager(alias).bulk_create(
                [UnitSubmission(round=nomination_round, unit=u) for u in units]), strict=True)}
            Nomination.objects.db_manager(alias).bulk_create([
                Nomination(round=nomination_round, submission=submissions[p.unit_id], person=p, title=ldtt, state="submitted",
                           achievement_summary="Hoàn thành tốt nhiệm vụ") for p in people], batch_size=2000)
    User.objects.db_manager(alias).create_superuser(OFFICE, "", PASSWORD, role="admin", full_name="Bench")
    User.objects.db_manager(alias).create_user(UNIT_HEAD, "", PASSWORD, role="unit", unit=units[3], full_name="Trưởng phòng 3")
    with connections[alias].cursor() as cursor:  # statistics (and the visibility map) as a live database has them
        cursor.execute("VACUUM ANALYZE" if connections[alias].vendor == "postgresql" else "ANALYZE")
