"""Demo data of the nominations app, on top of ``movements.demo.seed_demo()``.

Award history 2021–2024 consistent with the ratings and discipline records (LĐTT for a good
rating, CSTĐ cơ sở for excellence or an initiative within 15 %, collective titles, a few ad hoc
Giấy khen), initiatives, 2025 ratings, and an open 2025 annual round with submissions in
several states. Everything goes through the services (rules, audit). Safe to run again.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from movements.api import DisciplineKind, DisciplineRecord, PerformanceRating, Person, Rating, Unit, random_rating, rating_set
from tdkt.roles import Role

from . import services
from .enums import AwardType, InitiativeKind, InitiativeScope, NominationState
from .models import AwardRecord, CommendationForm, EmulationTitle, Initiative, NominationRound, SubmissionDocument
from .rules_engine.documents import missing_requirements

HISTORY_YEARS = [2021, 2022, 2023, 2024]
ANNUAL_2025 = "Khen thưởng tổng kết năm 2025"
AD_HOC_2025 = "Khen thưởng đột xuất: hỗ trợ triển khai Cổng dịch vụ công trực tuyến"
INITIATIVES = [
    "Số hoá quy trình tiếp nhận hồ sơ đăng ký đề tài khoa học",
    "Ứng dụng phần mềm quản lý phương tiện đo nhóm 2",
    "Cải tiến quy trình kiểm định đồng hồ nước lạnh",
    "Xây dựng cơ sở dữ liệu nhiệm vụ khoa học và công nghệ cấp tỉnh",
    "Mô hình nhân giống nấm đông trùng hạ thảo quy mô hộ gia đình",
    "Tự động hoá báo cáo thống kê khoa học và công nghệ",
    "Quy trình ứng dụng chế phẩm sinh học xử lý phụ phẩm nông nghiệp",
    "Bộ công cụ tự đánh giá năng lực đổi mới sáng tạo của doanh nghiệp",
]




DEMO_PDF = b"%PDF-1.4\n% tai lieu mau cua du lieu demo\n%%EOF\n"


def attach_demo_documents(*, actor, submission):
    """The required files (rule R12) of a demo list about to be sent: a placeholder PDF for each one missing."""
    pending = list(submission.nominations.filter(state__in=NominationState.editable()).select_related("person", "unit", "title", "form"))
    for kind, nomination in missing_requirements(submission, pending, SubmissionDocument):
        name = f"{kind}-{nomination.pk if nomination else submission.unit.short_code}.pdf"
        services.document_add(actor=actor, submission=submission, kind=kind, nomination=nomination,
                              uploaded_file=SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf"))


def _blocked(person_id, year, disciplines):
    """No award for a year touched by a discipline or covered by a hold at year end."""
    end_of_year = datetime.date(year, 12, 31)
    for d in disciplines.get(person_id, []):
        if d.covers(end_of_year):
            return True
        if d.kind in DisciplineKind.disciplines() and d.start_date <= end_of_year and (d.end_date is None or d.end_date.year >= year):
            return True
    return False


def _ratings_2025(rng):
    existing = set(PerformanceRating.objects.filter(year=2025).values_list("person_id", "unit_id"))
    for person in Person.objects.filter(active=True).order_by("pk"):
        if (person.pk, None) not in existing:
            rating_set(actor=None, person=person, year=2025, rating=random_rating(rng, person.is_leadership))
    for unit in Unit.objects.filter(parent__isnull=False).exclude(short_code="BGD").order_by("pk"):
        if (None, unit.pk) not in existing:
            rating_set(actor=None, unit=unit, year=2025, rating=Rating.HTXSNV if rng.random() < 0.35 else Rating.HTTNV)


def _initiatives(rng, people):
    if Initiative.objects.exists():
        return
    for index, person in enumerate(rng.sample(people, min(22, len(people)))):
        year = rng.choice([2022, 2023, 2024, 2025])
        services.initiative_create(
            actor=None, person=person, title=INITIATIVES[index % len(INITIATIVES)],
            year=year, kind=InitiativeKind.RESEARCH if index % 5 == 4 else InitiativeKind.INITIATIVE,
            scope=InitiativeScope.PROVINCE if index % 6 == 0 else InitiativeScope.BASE,
            recognised_on=datetime.date(year, rng.randint(3, 11), rng.randint(1, 28)), decision_number=f"{index + 10}/QĐ-HĐSK")


def _history(rng, people, units):
    if AwardRecord.objects.exists():
        return 0
    titles = {t.code: t for t in EmulationTitle.objects.all()}
    giay_khen = CommendationForm.objects.get(code="GIAY_KHEN")
    ratings = {(r.person_id, r.unit_id, r.year): r.rating for r in PerformanceRating.objects.filter(year__in=HISTORY_YEARS)}
    disciplines = {}
    for d in DisciplineRecord.objects.filter(person__isnull=False):
        disciplines.setdefault(d.person_id, []).append(d)
    initiative_years = set(Initiative.objects.values_list("person_id", "year"))
    created = 0
    for year in HISTORY_YEARS:
        decision = datetime.date(year + 1, 1, 15)
        numbers = {}  # one decision per title and occasion, as the Sở issues them

        def award(subject, title, kind=AwardType.ANNUAL, on=decision, issuer="Giám đốc Sở", year=year, numbers=numbers):
            nonlocal created
            number = numbers.setdefault((title.code, kind), f"{len(numbers) + 3:02d}/QĐ-SKHCN")
            key = {"person": subject} if isinstance(subject, Person) else {"unit": subject}
            services.award_record_create(actor=None, year=year, kind=kind, decision_number=number, decision_date=on,
                                         issuer=issuer, **key, **({"title": title} if isinstance(title, EmulationTitle) else {"form": title}))
            created += 1

        ldtt = [p for p in people if Rating.rank(ratings.get((p.pk, None, year), Rating.KHTNV)) >= Rating.rank(Rating.HTTNV)
                and not _blocked(p.pk, year, disciplines)]
        for person in ldtt:
            award(person, titles["LDTT"])
        candidates = [p for p in ldtt if ratings.get((p.pk, None, year)) == Rating.HTXSNV or (p.pk, year) in initiative_years]
        rng.shuffle(candidates)
        for person in candidates[: int(len(ldtt) * 0.15)]:
            award(person, titles["CSTDCS"])
        ldtt_ids = {p.pk for p in ldtt}
        for unit in units:
            members = [p for p in people if p.unit_id == unit.pk]
            share = sum(1 for p in members if p.pk in ldtt_ids) / len(members) if members else 0
            if Rating.rank(ratings.get((None, unit.pk, year), Rating.KHTNV)) >= Rating.rank(Rating.HTTNV) and share > 0.5:
                award(unit, titles["TTLDTT"])
        for person in rng.sample(ldtt, min(2, len(ldtt))):
            award(person, giay_khen, kind=AwardType.AD_HOC, on=datetime.date(year, 9, 20))
    return created


def _create(actor, nomination_round, unit, **kwargs):
    try:
        return services.nomination_create(actor=actor, nomination_round=nomination_round, unit=unit, **kwargs)
    except ValidationError:
        return None  # the rules said no: the demo simply leaves this one out


def _unit_list(rng, actor, nomination_round, unit, *, workers, leaders, excellent=0, collective=False):
    titles = {t.code: t for t in EmulationTitle.objects.all()}
    people = list(Person.objects.filter(unit=unit, active=True).order_by("full_name"))
    good = {r.person_id: r.rating for r in PerformanceRating.objects.filter(year=nomination_round.year, person__in=people)}
    eligible = [p for p in people if Rating.rank(good.get(p.pk, Rating.KHTNV)) >= Rating.rank(Rating.HTTNV) and not p.is_head]
    made = []
    for person in [p for p in eligible if not p.is_leadership][:workers] + [p for p in eligible if p.is_leadership][:leaders]:
        made.append(_create(actor, nomination_round, unit, person=person, title=titles["LDTT"],
                            achievement_summary="Hoàn thành tốt nhiệm vụ được giao; tích cực tham gia các phong trào thi đua của Sở."))
    for person in [p for p in eligible if good.get(p.pk) == Rating.HTXSNV][:excellent]:
        made.append(_create(actor, nomination_round, unit, person=person, title=titles["CSTDCS"],
                            achievement_summary="Hoàn thành xuất sắc nhiệm vụ; có sáng kiến được Hội đồng sáng kiến cơ sở công nhận."))
    if collective:
        made.append(_create(actor, nomination_round, unit, subject_unit=unit, title=titles["TTLDTT"],
                            achievement_summary="Tập thể hoàn thành tốt nhiệm vụ năm 2025."))
    return [n for n in made if n is not None]


def _rounds(rng):
    if NominationRound.objects.filter(name=ANNUAL_2025).exists():
        return None
    User = get_user_model()
    office = User.objects.filter(username="vanphong").first()
    heads = {u.unit.short_code: u for u in User.objects.filter(role=Role.UNIT).select_related("unit")}
    today = timezone.localdate()
    annual = services.round_create(actor=office, name=ANNUAL_2025, kind=AwardType.ANNUAL, year=2025,
                                   reference_date=datetime.date(2025, 12, 15), deadline=today + datetime.timedelta(days=21),
                                   note="Các đơn vị gửi tờ trình, biên bản bình xét và báo cáo thành tích của từng cá nhân, tập thể.")
    services.round_create(actor=office, name=AD_HOC_2025, kind=AwardType.AD_HOC, year=2025, reference_date=datetime.date(2025, 9, 15))
    units = {u.short_code: u for u in Unit.objects.all()}

    def actor_for(code):
        return heads.get(code) or office

    # TTUD: sent; the office returned one and vetted a few.
    ttud = _unit_list(rng, actor_for("TTUD"), annual, units["TTUD"], workers=8, leaders=2, excellent=2)
    if ttud:
        submission = ttud[0].submission
        services.submission_update(actor=actor_for("TTUD"), submission=submission, memo_number="15/TTr-TTUD",
                                   memo_date=today - datetime.timedelta(days=3))
        attach_demo_documents(actor=actor_for("TTUD"), submission=submission)
        services.submission_submit(actor=actor_for("TTUD"), submission=submission)
        services.nomination_return(actor=office, nomination=ttud[0], reason="Bổ sung báo cáo thành tích có xác nhận của Thủ trưởng đơn vị.")
        for n in ttud[1:4]:
            services.nomination_vet(actor=office, nomination=n, passed=True)
    # VP: sent, waiting for vetting.
    vp = _unit_list(rng, office, annual, units["VP"], workers=6, leaders=1, excellent=1, collective=False)
    if vp:
        services.submission_update(actor=office, submission=vp[0].submission, memo_number="22/TTr-VP", memo_date=today - datetime.timedelta(days=1))
        attach_demo_documents(actor=office, submission=vp[0].submission)
        services.submission_submit(actor=office, submission=vp[0].submission)
    # QLKH: still drafting.
    _unit_list(rng, actor_for("QLKH"), annual, units["QLKH"], workers=3, leaders=1)
    # TTKT: the collective and its members.
    _unit_list(rng, office, annual, units["TTKT"], workers=9, leaders=2, collective=True)
    return annual


@transaction.atomic
def seed_demo_nominations(stdout=None):
    say = stdout.write if stdout else (lambda *_: None)
    people = list(Person.objects.filter(active=True).order_by("pk"))
    if not people:
        say("Chưa có dữ liệu mẫu về đơn vị, cá nhân: chạy manage.py seed_demo trước.\n")
        return
    rng = random.Random(20251215)
    _ratings_2025(rng)
    _initiatives(rng, people)
    units = list(Unit.objects.filter(parent__isnull=False).exclude(short_code="BGD").order_by("sort_order"))
    created = _history(rng, people, units)
    annual = _rounds(rng)
    say(f"Dữ liệu mẫu khen thưởng: {AwardRecord.objects.count()} khen thưởng đã có (mới {created}), "
        f"{Initiative.objects.count()} sáng kiến, {NominationRound.objects.count()} đợt đề nghị"
        + (f"; đợt “{annual.name}” có {annual.nominations.exclude(state=NominationState.DRAFT).count()} đề nghị đã gửi" if annual else "")
        + ".\n")


# The hook of ``manage.py seed_demo`` (tdkt/management/commands/seed_demo.py).
seed = seed_demo_nominations
