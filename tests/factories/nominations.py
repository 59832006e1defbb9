"""Factories of the nominations app. Rows are written directly (no rules): they describe the
state a test starts from; the code under test goes through services or the rules engine."""

import datetime
import io

import factory
from openpyxl import Workbook

from movements.models import Campaign, PerformanceRating
from nominations.enums import AwardType, InitiativeKind, InitiativeScope, NominationState, RoundStatus
from nominations.models import (
    AwardRecord,
    CommendationForm,
    EmulationTitle,
    Initiative,
    Nomination,
    NominationRound,
    UnitSubmission,
)
from tests.factories import PersonFactory, UnitFactory


def title(code):
    return EmulationTitle.objects.get(code=code)


def form(code):
    return CommendationForm.objects.get(code=code)


def in_days(days):
    return datetime.date.today() + datetime.timedelta(days=days)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NominationRound

    name = factory.Sequence(lambda n: f"Tổng kết năm 2025 (đợt {n})")
    kind = AwardType.ANNUAL
    year = 2025
    reference_date = datetime.date(2025, 12, 15)
    deadline = factory.LazyFunction(lambda: in_days(30))
    status = RoundStatus.OPEN


class AdHocRoundFactory(RoundFactory):
    name = factory.Sequence(lambda n: f"Khen thưởng đột xuất {n}")
    kind = AwardType.AD_HOC
    deadline = None


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Phong trào chuyển đổi số {n}")
    level = "province"
    kind = "thematic"
    start_year = 2022
    end_year = 2025
    status = "launched"


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitSubmission

    round = factory.SubFactory(RoundFactory)
    unit = factory.SubFactory(UnitFactory)


class NominationFactory(factory.django.DjangoModelFactory):
    """An existing nomination (default: a person of the submission's unit for LĐTT, in draft)."""

    class Meta:
        model = Nomination

    submission = factory.SubFactory(SubmissionFactory)
    round = factory.LazyAttribute(lambda o: o.submission.round)
    person = factory.LazyAttribute(lambda o: PersonFactory(unit=o.submission.unit) if o.unit is None else None)
    unit = None
    title = factory.LazyAttribute(lambda o: title("LDTT") if o.form is None else None)
    form = None
    state = NominationState.DRAFT


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardRecord

    person = factory.SubFactory(PersonFactory)
    unit = None
    title = factory.LazyAttribute(lambda o: title("LDTT") if o.form is None else None)
    form = None
    year = 2024
    kind = AwardType.ANNUAL
    decision_number = factory.Sequence(lambda n: f"{n + 1:02d}/QĐ-SKHCN")
    decision_date = factory.LazyAttribute(lambda o: datetime.date(o.year + 1, 1, 10))
    issuer = "Giám đốc Sở"


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    person = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"Sáng kiến cải tiến quy trình số {n}")
    kind = InitiativeKind.INITIATIVE
    scope = InitiativeScope.BASE
    year = 2025


# ---------------------------------------------------------------- helpers

def award_kwargs(code):
    found = EmulationTitle.objects.filter(code=code).first()
    return {"title": found, "form": None} if found else {"title": None, "form": CommendationForm.objects.get(code=code)}


def build_nomination(submission, *, person=None, unit=None, code="LDTT", state="draft"):
    """An unsaved nomination, as a form or an import row would build it."""
    return Nomination(round=submission.round, submission=submission, person=person, unit=unit, state=state, **award_kwargs(code))


def staff(unit, n, *, leader=False, rating="HTTNV", year=2025, **kwargs):
    """``n`` people of ``unit`` with a rating for ``year`` (so LĐTT prerequisites hold)."""
    people = []
    for _ in range(n):
        person = PersonFactory(unit=unit, is_leadership=leader, position_title="Phó Trưởng phòng" if leader else "Chuyên viên", **kwargs)
        if rating:
            PerformanceRating.objects.create(person=person, year=year, rating=rating)
        people.append(person)
    return people


def messages(violations, code):
    return [v.message for v in violations if v.code == code]


def reseed_catalogues():
    """Transactional tests flush the database, seeded data included: put the catalogues and rules back (idempotent)."""
    from importlib import import_module

    from django.apps import apps

    for name in ("0002_seed_catalogues", "0004_seed_rules", "0005_seed_registration_rule"):
        import_module(f"nominations.migrations.{name}").seed(apps, None)


LIST_HEADERS = ["STT", "Cá nhân / Tập thể", "Họ và tên / Tên tập thể", "Ngày sinh", "Danh hiệu / Hình thức", "Tóm tắt thành tích"]


def nomination_list_xlsx(rows):
    """The bytes of a unit's nomination list as the import template lays it out (sheet "Danh sách", its header row)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append(LIST_HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
