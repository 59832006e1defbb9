"""Demo data built from the seed documents: Sở Khoa học và Công nghệ tỉnh Hưng Yên.

Every person is fictional; names are drawn from common Vietnamese names with a
fixed random seed so that running the command twice gives the same people.
Everything is written through the services, so validators and the audit trail apply.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from tdkt.enums import Role

from . import services
from .enums import DisciplineKind, Gender, Rating, UnitKind
from .models import AgencyProfile, DisciplineRecord, Person, Unit

DEMO_PASSWORD = "tdkt-demo-2026"

AGENCY = {
    "name": "Sở Khoa học và Công nghệ",
    "parent_name": "UBND tỉnh Hưng Yên",
    "doc_code": "SKHCN",
    "place_name": "Hưng Yên",
    "director_title": "Giám đốc",
}

# (short code, name, kind, [(post, leadership, head, count)])
UNITS = [
    ("BGD", "Ban Giám đốc Sở", UnitKind.DIVISION, [("Giám đốc Sở", True, True, 1), ("Phó Giám đốc Sở", True, False, 3)]),
    ("VP", "Văn phòng Sở", UnitKind.DIVISION, [("Chánh Văn phòng", True, True, 1), ("Phó Chánh Văn phòng", True, False, 2),
                                               ("Chuyên viên", False, False, 6), ("Kế toán", False, False, 1), ("Nhân viên", False, False, 2)]),
    ("TTRA", "Thanh tra Sở", UnitKind.DIVISION, [("Chánh Thanh tra", True, True, 1), ("Phó Chánh Thanh tra", True, False, 1),
                                                 ("Thanh tra viên", False, False, 4)]),
    ("KHTC", "Phòng Kế hoạch – Tài chính", UnitKind.DIVISION, [("Trưởng phòng", True, True, 1), ("Phó Trưởng phòng", True, False, 1),
                                                              ("Chuyên viên", False, False, 4)]),
    ("QLKH", "Phòng Quản lý khoa học", UnitKind.DIVISION, [("Trưởng phòng", True, True, 1), ("Phó Trưởng phòng", True, False, 2),
                                                          ("Chuyên viên", False, False, 5)]),
    ("QLCN", "Phòng Quản lý công nghệ và Thị trường công nghệ", UnitKind.DIVISION,
     [("Trưởng phòng", True, True, 1), ("Phó Trưởng phòng", True, False, 1), ("Chuyên viên", False, False, 4)]),
    ("QLCNG", "Phòng Quản lý chuyên ngành", UnitKind.DIVISION, [("Trưởng phòng", True, True, 1), ("Phó Trưởng phòng", True, False, 1),
                                                               ("Chuyên viên", False, False, 4)]),
    ("CCTDC", "Chi cục Tiêu chuẩn Đo lường Chất lượng", UnitKind.ATTACHED,
     [("Chi cục trưởng", True, True, 1), ("Phó Chi cục trưởng", True, False, 2), ("Trưởng phòng", True, False, 2),
      ("Kiểm soát viên", False, False, 7), ("Nhân viên", False, False, 2)]),
    ("TTUD", "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", UnitKind.SUBORDINATE,
     [("Giám đốc Trung tâm", True, True, 1), ("Phó Giám đốc Trung tâm", True, False, 2), ("Trưởng phòng", True, False, 3),
      ("Phó Trưởng phòng", True, False, 1), ("Viên chức", False, False, 12), ("Nhân viên hợp đồng", False, False, 3)]),
    ("TTTT", "Trung tâm Thông tin và Thống kê khoa học và công nghệ", UnitKind.SUBORDINATE,
     [("Giám đốc Trung tâm", True, True, 1), ("Phó Giám đốc Trung tâm", True, False, 1), ("Trưởng phòng", True, False, 2),
      ("Viên chức", False, False, 8)]),
    ("TTKT", "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng", UnitKind.SUBORDINATE,
     [("Giám đốc Trung tâm", True, True, 1), ("Phó Giám đốc Trung tâm", True, False, 1), ("Trưởng phòng", True, False, 2),
      ("Kỹ thuật viên", False, False, 8)]),
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Lương", "Đào", "Phan", "Đinh", "Trịnh"]
MIDDLE = {Gender.MALE: ["Văn", "Đức", "Minh", "Quang", "Hữu", "Mạnh", "Thanh", "Xuân", "Công", "Đình"],
          Gender.FEMALE: ["Thị", "Thu", "Thị Thu", "Ngọc", "Thanh", "Thị Minh", "Hồng", "Phương", "Thị Hải", "Kim"]}
GIVEN = {Gender.MALE: ["Hùng", "Dũng", "Tuấn", "Long", "Hải", "Nam", "Thắng", "Cường", "Hiếu", "Phong", "Sơn", "Quân", "Trung",
                       "Khánh", "Đạt", "Tùng", "Bình", "Huy", "Toàn", "Kiên", "Lâm", "Vinh"],
         Gender.FEMALE: ["Hương", "Lan", "Hà", "Linh", "Trang", "Hằng", "Mai", "Thủy", "Ngọc", "Yến", "Nga", "Thảo", "Huyền",
                         "Phương", "Dung", "Oanh", "Vân", "Hạnh", "Loan", "Nhung", "Quyên"]}

RATING_YEARS = [2021, 2022, 2023, 2024]

# Demo logins: (username, full name, role, unit short code or None)
DEMO_USERS = [
    ("quantri", "Quản trị hệ thống", Role.ADMIN, None),
    ("vanphong", "Chuyên viên Văn phòng Sở", Role.OFFICE, None),
    ("hoidong", "Ủy viên Hội đồng TĐKT", Role.COUNCIL, None),
    ("qlkh", "Trưởng phòng Quản lý khoa học", Role.UNIT, "QLKH"),
    ("ttud", "Giám đốc Trung tâm Ứng dụng", Role.UNIT, "TTUD"),
]


def _people_plan(rng):
    """The fictional staff list, identical on every run (fixed seed)."""
    used = set()
    plan = []
    for code, _name, _kind, posts in UNITS:
        for title, leadership, head, count in posts:
            for _ in range(count):
                while True:
                    gender = rng.choice([Gender.MALE, Gender.FEMALE])
                    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
                    if name not in used:
                        used.add(name)
                        break
                born = datetime.date(rng.randint(1966, 1998), rng.randint(1, 12), rng.randint(1, 28))
                plan.append((code, name, gender, born, title, leadership, head))
    return plan


def _rating_for(rng, leadership):
    roll = rng.random()
    if roll < (0.3 if leadership else 0.18):
        return Rating.HTXSNV
    if roll < 0.9:
        return Rating.HTTNV
    if roll < 0.985:
        return Rating.HTNV
    return Rating.KHTNV


@transaction.atomic
def seed_demo(stdout=None):
    """Create (or complete) the demo department. Safe to run again: nothing is duplicated."""
    say = stdout.write if stdout else (lambda *_: None)
    rng = random.Random(20231129)

    if not AgencyProfile.objects.exists():
        services.agency_profile_update(actor=None, director_name="", **AGENCY)

    agency = Unit.objects.filter(short_code="SKHCN").first() or services.unit_create(
        actor=None, name=AGENCY["name"], short_code="SKHCN", kind=UnitKind.AGENCY, sort_order=0)
    units = {"SKHCN": agency}
    for order, (code, name, kind, _posts) in enumerate(UNITS, start=1):
        units[code] = Unit.objects.filter(short_code=code).first() or services.unit_create(
            actor=None, name=name, short_code=code, kind=kind, parent=agency, sort_order=order)

    created = 0
    people = []
    for code, name, gender, born, title, leadership, head in _people_plan(rng):
        person = Person.objects.filter(full_name=name, unit=units[code]).first()
        if person is None:
            # Most people hold their post since 2019; leaders promoted in 2023 show position history.
            promoted = leadership and not head and rng.random() < 0.25
            start = datetime.date(2019, 1, 1)
            person = services.person_create(
                actor=None, full_name=name, gender=gender, unit=units[code], date_of_birth=born,
                position_title="Chuyên viên" if promoted else title, is_leadership=leadership and not promoted,
                is_head=head, start_date=start)
            if promoted:
                person = services.person_change_position(
                    actor=None, person=person, unit=units[code], title=title, is_leadership=True, is_head=False,
                    start_date=datetime.date(2023, 7, 1), reason="Quyết định bổ nhiệm (dữ liệu mẫu)")
            created += 1
        people.append(person)

    if created:
        for person in people:
            for year in RATING_YEARS:
                services.rating_set(actor=None, person=person, year=year, rating=_rating_for(rng, person.is_leadership))
        for code, unit in units.items():
            if code in ("SKHCN", "BGD"):
                continue
            for year in RATING_YEARS:
                services.rating_set(actor=None, unit=unit, year=year,
                                    rating=Rating.HTXSNV if rng.random() < 0.35 else Rating.HTTNV)
        if not DisciplineRecord.objects.exists():
            ttud_staff = [p for p in people if p.unit_id == units["TTUD"].pk and not p.is_leadership]
            services.discipline_create(
                actor=None, person=ttud_staff[0], kind=DisciplineKind.REPRIMAND,
                start_date=datetime.date(2023, 3, 15), end_date=datetime.date(2024, 3, 14),
                reason="Vi phạm quy định về thời gian làm việc (dữ liệu mẫu)")
            cctdc_staff = [p for p in people if p.unit_id == units["CCTDC"].pk and not p.is_leadership]
            services.discipline_create(
                actor=None, person=cctdc_staff[1], kind=DisciplineKind.COMPLAINT,
                start_date=datetime.date(2024, 10, 1),
                reason="Đơn thư phản ánh đang được Thanh tra Sở xác minh (dữ liệu mẫu)")

    profile = AgencyProfile.objects.get()
    director = units["BGD"].head
    if not profile.director_name and director:
        services.agency_profile_update(actor=None, director_name=director.full_name)

    User = get_user_model()
    for username, full_name, role, unit_code in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.full_name = full_name
        user.role = role
        user.unit = units.get(unit_code) if unit_code else None
        user.is_staff = role == Role.ADMIN
        user.is_superuser = role == Role.ADMIN
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()

    say(f"Dữ liệu mẫu: {Unit.objects.count()} đơn vị, {Person.objects.count()} cá nhân "
        f"({Person.objects.filter(is_leadership=True).count()} lãnh đạo, quản lý); mới tạo {created} cá nhân.\n")
    return created


def demo_logins():
    return [(username, DEMO_PASSWORD, role.label, unit or "") for username, _n, role, unit in DEMO_USERS]
