"""Demo data built from the seed documents: Sở Khoa học và Công nghệ tỉnh Hưng Yên.

Every person is fictional; names are drawn from common Vietnamese names with a
fixed random seed so that running the command twice gives the same people.
Everything is written through the services, so validators and the audit trail apply.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

# The award catalogues: the one allowed import from nominations (a leaf module).
from nominations.catalogues import CommendationForm as AwardForm
from nominations.catalogues import EmulationTitle
from tdkt.enums import Role

from . import demo_images, services
from .enums import (
    CampaignDocumentKind,
    CampaignKind,
    CampaignLevel,
    CampaignStatus,
    ClusterState,
    CriterionKind,
    DisciplineKind,
    Gender,
    Rating,
    RegistrationState,
    UnitKind,
)
from .models import AgencyProfile, Campaign, Cluster, DisciplineRecord, Person, Registration, RegistrationWindow, Unit
from .selectors import cluster_ranking

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
                born = datetime.date(rng.randint(1966, 1986 if leadership else 1999), rng.randint(1, 12), rng.randint(1, 28))
                plan.append((code, name, gender, born, title, leadership, head))
    return plan


def random_rating(rng, leadership):
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
                services.rating_set(actor=None, person=person, year=year, rating=random_rating(rng, person.is_leadership))
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
    if not profile.signature_image or not profile.seal_image:  # issue 12: a signable demo (the keys: README)
        services.agency_profile_update(actor=None, signature_image=ContentFile(demo_images.signature_png(), "chu-ky.png"),
                                       seal_image=ContentFile(demo_images.seal_png(), "con-dau.png"))

    User = get_user_model()
    for username, full_name, role, unit_code in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.full_name = full_name
        user.role = role
        user.unit = units.get(unit_code) if unit_code else None
        user.is_staff = role == Role.ADMIN
        user.is_superuser = role == Role.ADMIN
        user.is_active = True
        # polish (issue 13): an address for "Quên mật khẩu" and the office's password links (console e-mail in development)
        user.email = user.email or f"{username}@demo.tdkt.invalid"
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()

    seed_yearly_cycle(units, stdout=stdout)

    say(f"Dữ liệu mẫu: {Unit.objects.count()} đơn vị, {Person.objects.count()} cá nhân "
        f"({Person.objects.filter(is_leadership=True).count()} lãnh đạo, quản lý); mới tạo {created} cá nhân.\n")
    return created


def demo_logins():
    return [(username, DEMO_PASSWORD, role.label, unit or "") for username, _n, role, unit in DEMO_USERS]


# ================================================================ yearly cycle: campaigns, registrations, clusters

# (level, kind, name, start, end, status, launched, interim, final)
CAMPAIGNS = [
    (CampaignLevel.PRIME_MINISTER, CampaignKind.REGULAR, "Cả nước chung tay xây dựng nông thôn mới, giai đoạn 2021-2025",
     2021, 2025, CampaignStatus.INTERIM_REVIEW, datetime.date(2021, 6, 1), datetime.date(2023, 11, 20), None),
    (CampaignLevel.PRIME_MINISTER, CampaignKind.REGULAR, "Vì người nghèo - Không để ai bị bỏ lại phía sau, giai đoạn 2021-2025",
     2021, 2025, CampaignStatus.LAUNCHED, datetime.date(2021, 6, 1), None, None),
    (CampaignLevel.PRIME_MINISTER, CampaignKind.REGULAR,
     "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở giai đoạn 2021-2025",
     2021, 2025, CampaignStatus.LAUNCHED, datetime.date(2021, 9, 15), None, None),
    (CampaignLevel.PRIME_MINISTER, CampaignKind.REGULAR,
     "Đẩy mạnh phát triển kết cấu hạ tầng đồng bộ, hiện đại; thực hành tiết kiệm, chống lãng phí",
     2022, 2025, CampaignStatus.LAUNCHED, datetime.date(2022, 12, 6), None, None),
    (CampaignLevel.PROVINCE, CampaignKind.THEMATIC, "Đẩy mạnh công tác cải cách hành chính nhà nước tỉnh Hưng Yên giai đoạn 2022-2025",
     2022, 2025, CampaignStatus.INTERIM_REVIEW, datetime.date(2022, 4, 5), datetime.date(2024, 1, 18), None),
    (CampaignLevel.PROVINCE, CampaignKind.THEMATIC, "Đẩy nhanh tiến độ thực hiện các dự án trọng điểm của tỉnh giai đoạn 2021-2025",
     2021, 2025, CampaignStatus.LAUNCHED, datetime.date(2021, 8, 10), None, None),
    (CampaignLevel.PROVINCE, CampaignKind.THEMATIC, "Hưng Yên đẩy mạnh đề án Chuyển đổi số giai đoạn 2022-2025",
     2022, 2025, CampaignStatus.LAUNCHED, datetime.date(2022, 5, 20), None, None),
    (CampaignLevel.PROVINCE, CampaignKind.THEMATIC,
     "Đẩy mạnh thu hút và sử dụng có hiệu quả các nguồn lực đầu tư trên địa bàn tỉnh Hưng Yên giai đoạn 2022-2025",
     2022, 2025, CampaignStatus.LAUNCHED, datetime.date(2022, 7, 1), None, None),
    (CampaignLevel.PROVINCE, CampaignKind.THEMATIC, "Đẩy mạnh thực hiện dự án đầu tư xây dựng đường Vành đai 4 - vùng Thủ đô Hà Nội",
     2023, 2025, CampaignStatus.LAUNCHED, datetime.date(2023, 6, 12), None, None),
    (CampaignLevel.AGENCY, CampaignKind.THEMATIC, "Đổi mới sáng tạo, ứng dụng tiến bộ khoa học và công nghệ vào thực tiễn sản xuất và đời sống",
     2021, 2025, CampaignStatus.INTERIM_REVIEW, datetime.date(2021, 3, 26), datetime.date(2023, 12, 15), None),
]
OWN_CAMPAIGN_DOCUMENTS = [
    (CampaignDocumentKind.PLAN, "Kế hoạch phát động phong trào thi đua “Đổi mới sáng tạo, ứng dụng tiến bộ khoa học và công nghệ "
     "vào thực tiễn sản xuất và đời sống” giai đoạn 2021-2025", "25/KH-SKHCN", datetime.date(2021, 3, 22)),
    (CampaignDocumentKind.LAUNCH, "Phát động phong trào thi đua giai đoạn 2021-2025", "310/SKHCN-VP", datetime.date(2021, 3, 26)),
    (CampaignDocumentKind.INTERIM_REPORT, "Báo cáo sơ kết giữa kỳ phong trào thi đua “Đổi mới sáng tạo, ứng dụng tiến bộ khoa học "
     "và công nghệ vào thực tiễn sản xuất và đời sống”", "198/BC-SKHCN", datetime.date(2023, 12, 15)),
]

REGISTRATION_YEAR = 2026  # the current year of the demo; the 2025 nominations predate the rule
# unit code -> (state, collective title code, return reason)
REGISTRATIONS = {
    "VP": (RegistrationState.APPROVED, "TTLDXS", ""),
    "QLKH": (RegistrationState.SUBMITTED, "TTLDXS", ""),
    "CCTDC": (RegistrationState.APPROVED, "TTLDTT", ""),
    "TTUD": (RegistrationState.RETURNED, "TTLDXS",
             "Đề nghị rà soát lại: các cá nhân đăng ký Chiến sĩ thi đua cơ sở cần đăng ký kèm sáng kiến hoặc đề tài khoa học."),
    "TTTT": (RegistrationState.DRAFT, "TTLDTT", ""),
    "KHTC": (RegistrationState.SUBMITTED, "TTLDTT", ""),
}
INITIATIVES = {
    "VP": ["Số hoá quy trình tiếp nhận, xử lý văn bản đến trên hệ thống quản lý văn bản điều hành"],
    "QLKH": ["Quy trình đánh giá, nghiệm thu nhiệm vụ khoa học và công nghệ cấp tỉnh theo hướng trực tuyến",
             "Bộ tiêu chí đánh giá hiệu quả ứng dụng kết quả nghiên cứu tại địa phương"],
    "CCTDC": ["Áp dụng phần mềm quản lý phương tiện đo nhóm 2 trên địa bàn tỉnh"],
}

CLUSTER_YEAR = 2024
CLUSTER_NAME = "Cụm thi đua các phòng, đơn vị thuộc, trực thuộc Sở"
CLUSTER_MEMBERS = ["VP", "TTRA", "KHTC", "QLKH", "QLCN", "QLCNG", "CCTDC", "TTUD", "TTTT", "TTKT"]
CLUSTER_LEADER, CLUSTER_DEPUTY = "CCTDC", "TTUD"
# (section, [(criterion, max, kind)])
SCORING_TABLE = [
    ("I. Thực hiện nhiệm vụ chính trị, chuyên môn được giao", [
        ("Hoàn thành các chỉ tiêu, nhiệm vụ chuyên môn theo kế hoạch năm", "30", CriterionKind.STANDARD),
        ("Chất lượng, tiến độ tham mưu văn bản; không có văn bản quá hạn", "10", CriterionKind.STANDARD),
        ("Cải cách hành chính, chuyển đổi số trong hoạt động của đơn vị", "10", CriterionKind.STANDARD),
    ]),
    ("II. Công tác thi đua, khen thưởng", [
        ("Tổ chức phát động, đăng ký thi đua và ký giao ước đầy đủ, đúng thời hạn", "10", CriterionKind.STANDARD),
        ("Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến", "5", CriterionKind.STANDARD),
        ("Sáng kiến, đề tài, giải pháp được công nhận, áp dụng", "10", CriterionKind.STANDARD),
    ]),
    ("III. Xây dựng đơn vị, chấp hành kỷ luật, kỷ cương", [
        ("Chấp hành kỷ luật, kỷ cương hành chính; thực hành tiết kiệm, chống lãng phí", "10", CriterionKind.STANDARD),
        ("Thực hiện văn hóa công sở", "5", CriterionKind.STANDARD),
        ("Tham gia hoạt động của Công đoàn, Đoàn Thanh niên và phong trào văn hóa, thể thao", "10", CriterionKind.STANDARD),
    ]),
    ("IV. Điểm thưởng, điểm trừ", [
        ("Điểm thưởng: tập thể, cá nhân được cấp trên khen thưởng đột xuất, chuyên đề trong năm", "5", CriterionKind.BONUS),
        ("Điểm trừ: đơn vị hoặc cá nhân bị nhắc nhở, phê bình, kỷ luật trong năm", "10", CriterionKind.PENALTY),
    ]),
]


def _seed_campaigns(units):
    created = 0
    for level, kind, name, start, end, status, launched, interim, final in CAMPAIGNS:
        if Campaign.objects.filter(name=name).exists():
            continue
        lead = units["SKHCN"] if level == CampaignLevel.AGENCY else None
        campaign = services.campaign_create(actor=None, name=name, level=level, kind=kind, start_year=start, end_year=end,
                                            lead_unit=lead)
        for state, date in ((CampaignStatus.LAUNCHED, launched), (CampaignStatus.INTERIM_REVIEW, interim),
                            (CampaignStatus.FINAL_REVIEW, final)):
            if date:
                campaign = services.campaign_transition(campaign=campaign, actor=None, to_state=state, date=date)
        assert campaign.status == status
        if level == CampaignLevel.AGENCY:
            for doc_kind, title, number, issued in OWN_CAMPAIGN_DOCUMENTS:
                services.campaign_document_add(actor=None, campaign=campaign, kind=doc_kind, title=title, number=number,
                                               issued_on=issued)
        created += 1
    return created


def _seed_registrations(rng, units):
    window = RegistrationWindow.objects.filter(year=REGISTRATION_YEAR).first()
    if window is None:
        window = services.registration_window_create(
            actor=None, year=REGISTRATION_YEAR, opens_on=datetime.date(2026, 1, 5), closes_on=datetime.date(2026, 2, 27),
            required_for_nomination=True,
            note="Theo Kế hoạch công tác thi đua, khen thưởng năm 2026 của Sở (dữ liệu mẫu).")
    titles = {t.code: t for t in EmulationTitle.objects.all()}
    for code, (state, unit_title, reason) in REGISTRATIONS.items():
        unit = units[code]
        if Registration.objects.filter(window=window, unit=unit).exists():
            continue
        registration = services.registration_start(actor=None, window=window, unit=unit)
        people = list(Person.objects.filter(unit=unit, active=True).order_by("-is_head", "-is_leadership", "full_name"))
        choice = {}
        for person in people:
            roll = rng.random()
            if roll < 0.12:
                continue  # some people do not register
            choice[person] = titles["CSTDCS"] if roll < (0.45 if person.is_leadership else 0.3) else titles["LDTT"]
        services.registration_save(actor=None, registration=registration, unit_title=titles[unit_title], titles=choice)
        for title, person in zip(INITIATIVES.get(code, []), people[1:], strict=False):
            services.initiative_add(actor=None, registration=registration, title=title, owner=person)
        submitted = datetime.datetime(2026, 2, 20, 9, 30, tzinfo=datetime.UTC)
        reviewed = datetime.datetime(2026, 3, 4, 14, 0, tzinfo=datetime.UTC)
        if state != RegistrationState.DRAFT:
            services.registration_submit(registration=registration, actor=None, now=submitted)
        if state == RegistrationState.APPROVED:
            services.registration_approve(registration=registration, actor=None, now=reviewed)
        elif state == RegistrationState.RETURNED:
            services.registration_return(registration=registration, actor=None, reason=reason, now=reviewed)
    return window


def _seed_cluster(rng, units):
    if Cluster.objects.filter(year=CLUSTER_YEAR, name=CLUSTER_NAME).exists():
        return None
    members = [units[code] for code in CLUSTER_MEMBERS]
    cluster = services.cluster_create(
        actor=None, year=CLUSTER_YEAR, name=CLUSTER_NAME, members=members, leader_unit=units[CLUSTER_LEADER],
        deputy_unit=units[CLUSTER_DEPUTY], pact_number="01/GƯTĐ-CTĐ", pact_signed_on=datetime.date(2024, 3, 8),
        description="Theo Kế hoạch hoạt động của Hội đồng Thi đua - Khen thưởng Sở năm 2024, mục II.2.4 (dữ liệu mẫu).")
    criteria = []
    for order, (section_name, rows) in enumerate(SCORING_TABLE, start=1):
        section = services.section_create(actor=None, cluster=cluster, name=section_name, order=order)
        for c_order, (name, maximum, kind) in enumerate(rows, start=1):
            criteria.append(services.criterion_create(actor=None, section=section, name=name, max_score=Decimal(maximum),
                                                      kind=kind, order=c_order))
    cluster = services.cluster_transition(cluster=cluster, actor=None, to_state=ClusterState.SCORING)
    strength = {code: rng.uniform(0.78, 0.97) for code in CLUSTER_MEMBERS}
    strength["CCTDC"], strength["QLKH"] = 0.97, 0.95  # a clear leader and runner-up
    for code in CLUSTER_MEMBERS:
        self_scores, agreed = {}, {}
        for criterion in criteria:
            maximum = criterion.max_score
            if criterion.kind == CriterionKind.PENALTY:
                own = Decimal(0) if rng.random() < 0.7 else Decimal(rng.choice([1, 2]))
                final = own + (Decimal(1) if rng.random() < 0.15 else 0)
            elif criterion.kind == CriterionKind.BONUS:
                own = Decimal(rng.choice([0, 1, 2, 3])) if code != "CCTDC" else Decimal(4)
                final = own
            else:
                own = min(maximum, (maximum * Decimal(str(round(strength[code] + rng.uniform(0, 0.04), 3)))).quantize(Decimal("0.5")))
                final = max(Decimal(0), own - Decimal(rng.choice(["0", "0", "0.5", "1"])))
            final = min(final, maximum)
            self_scores[criterion.pk] = (own, "Báo cáo tổng kết năm 2024 của đơn vị" if criterion.kind == CriterionKind.STANDARD else "")
            agreed[criterion.pk] = (final, "")
        services.cluster_scores_save(actor=None, cluster=cluster, unit=units[code], self_scores=self_scores, agreed_scores=agreed)
    cluster = services.cluster_transition(cluster=cluster, actor=None, to_state=ClusterState.CONCLUDED)
    ranking = cluster_ranking(cluster)
    meeting = datetime.date(2024, 12, 20)
    services.acclamation_record(actor=None, cluster=cluster, unit=ranking[0].unit, meeting_date=meeting,
                                title=EmulationTitle.objects.get(code="CO_TINH"), minutes_number="05/BB-CTĐ",
                                note="Suy tôn đơn vị dẫn đầu phong trào thi đua của Cụm năm 2024 (dữ liệu mẫu).")
    services.acclamation_record(actor=None, cluster=cluster, unit=ranking[1].unit, meeting_date=meeting,
                                form=AwardForm.objects.get(code="BK_TINH"), minutes_number="05/BB-CTĐ")
    return cluster


def seed_yearly_cycle(units, stdout=None):
    """Campaigns from seed 000, the 2026 registration and the Sở's 2024 cluster. Idempotent."""
    say = stdout.write if stdout else (lambda *_: None)
    rng = random.Random(20250106)
    created = _seed_campaigns(units)
    _seed_registrations(rng, units)
    _seed_cluster(rng, units)
    say(f"Phong trào: {Campaign.objects.count()} (mới {created}); phiếu đăng ký năm {REGISTRATION_YEAR}: "
        f"{Registration.objects.filter(window__year=REGISTRATION_YEAR).count()}; cụm thi đua: {Cluster.objects.count()}.\n")


# The hook of ``manage.py seed_demo`` (tdkt/management/commands/seed_demo.py).
seed = seed_demo
