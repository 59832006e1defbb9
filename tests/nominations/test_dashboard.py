"""The home page per role (issue 13): each chart's numbers equal a direct count; each home page's query count does not
grow with the units, rounds and nominations; a unit head's page shows their unit's work only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from movements.models import PositionAssignment
from nominations import dashboard
from nominations.enums import NominationState
from nominations.models import AwardRecord, Nomination
from nominations.selectors import bonus_amount
from tdkt.charts import chart_for
from tests.factories import PersonFactory, UnitFactory, UnitUserFactory, UserFactory
from tests.factories.councils import make_council, sitting, vetted
from tests.factories.movements import RegistrationFactory, RegistrationWindowFactory
from tests.factories.nominations import AwardFactory, NominationFactory, RoundFactory, SubmissionFactory, form, title

pytestmark = pytest.mark.django_db

S = NominationState
STATES = [S.DRAFT, S.SUBMITTED, S.RETURNED, S.VETTED_PASS, S.VETTED_FAIL, S.DECIDED]


def build(units=2, rounds=1, per_unit=3, *, year=2025):
    """``units`` units each with a head, ``rounds`` open rounds of ``year``, ``per_unit`` nominations per unit and round
    in a mix of states (a third of the people leaders), awards over five years, a registration sent per unit."""
    made = [UnitFactory() for _ in range(units)]
    heads = [UnitUserFactory(unit=unit) for unit in made]
    window = RegistrationWindowFactory(year=year + 1, opens_on=timezone.localdate() - datetime.timedelta(days=5),
                                       closes_on=timezone.localdate() + datetime.timedelta(days=5))
    for unit in made:
        RegistrationFactory(window=window, unit=unit, state="submitted")
    for r in range(rounds):
        nomination_round = RoundFactory(name=f"Đợt {year}-{r}", year=year, deadline=timezone.localdate() + datetime.timedelta(days=5 + r))
        for unit in made:
            submission = SubmissionFactory(round=nomination_round, unit=unit)
            for i in range(per_unit):
                person = PersonFactory(unit=unit, is_leadership=i % 3 == 0)
                NominationFactory(submission=submission, person=person, state=STATES[i % len(STATES)],
                                  last_reason="Thiếu báo cáo thành tích" if STATES[i % len(STATES)] == S.RETURNED else "",
                                  title=title("CSTDCS") if i % 2 else title("LDTT"))
    for i, unit in enumerate(made):
        for y in range(year - 5, year + 1):
            AwardFactory(person=PersonFactory(unit=unit), year=y, title=title("LDTT"))
            AwardFactory(person=None, unit=unit, year=y, title=None, form=form("GIAY_KHEN")) if i % 2 else None
    return made, heads


# ---------------------------------------------------------------- each chart equals a direct count

def test_each_charts_numbers_equal_a_direct_count(office_user):
    units, _heads = build(units=3, rounds=2, per_unit=7)
    year = 2025
    proposed = [n for n in Nomination.objects.select_related("title", "form", "submission__unit", "round", "person")
                if n.round.year == year and n.state not in (S.DRAFT, S.VETTED_FAIL, S.COUNCIL_REJECTED)]

    by_award = chart_for("de-nghi-theo-danh-hieu", office_user)
    assert sorted(by_award.items) == sorted({(str(n.award.name), sum(1 for m in proposed if m.award == n.award)) for n in proposed})
    assert sum(v for _l, v in by_award.items) == len(proposed)

    by_unit = chart_for("de-nghi-theo-don-vi", office_user)
    assert sorted(by_unit.items) == sorted((u.name, sum(1 for n in proposed if n.submission.unit_id == u.pk)) for u in units)

    def is_leader(n):
        ref = n.round.reference_date
        return any(p.is_leadership and p.start_date <= ref and (p.end_date is None or p.end_date >= ref)
                   for p in PositionAssignment.objects.filter(person=n.person))

    share = chart_for("ty-le-lanh-dao", office_user)
    expected = {}
    for unit in units:
        people = {n.person_id: is_leader(n) for n in proposed if n.submission.unit_id == unit.pk}
        expected[unit.name] = sum(people.values()) * 100 / len(people)
    assert dict(share.items) == pytest.approx(expected)
    assert share.limit == 40

    awards = chart_for("khen-thuong-5-nam", office_user)
    in_years = AwardRecord.objects.filter(year__gte=year - 4, year__lte=year)
    assert dict(awards.items) == {"Lao động tiên tiến": in_years.filter(title__code="LDTT").count(),
                                  "Giấy khen của Giám đốc Sở": in_years.filter(form__code="GIAY_KHEN").count()}

    bonus = chart_for("tien-thuong-theo-nam", office_user)
    direct = dict.fromkeys(range(year - 4, year + 1), 0)
    for award in AwardRecord.objects.filter(year__gte=year - 4, year__lte=year):
        found = bonus_amount(award.title or award.form, subject_kind="person" if award.person_id else "unit", on=award.decision_date)
        direct[award.year] += found[0] if found else 0
    assert dict(bonus.items) == {str(y): v for y, v in direct.items()}
    assert any(direct.values())

    agency = dashboard.leaders_share(year)
    people = {n.person_id: is_leader(n) for n in proposed}
    assert (agency["persons"], agency["leaders"]) == (len(people), sum(people.values()))


def test_a_charts_excel_has_its_numbers_and_only_the_office_gets_it(client, office_user, head_a):
    build(units=2, rounds=1, per_unit=4)
    client.force_login(office_user)
    response = client.get(reverse("chart_export") + "?bieu-do=de-nghi-theo-don-vi")
    assert response.status_code == 200
    import io

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(c for c in row if c is not None) for row in sheet.iter_rows(values_only=True)]
    chart = chart_for("de-nghi-theo-don-vi", office_user)
    for index, (label, value) in enumerate(chart.items, start=1):
        assert (index, label, value) in rows
    assert client.get(reverse("chart_export") + "?bieu-do=khong-co").status_code == 404
    client.force_login(head_a)
    assert client.get(reverse("chart_export") + "?bieu-do=de-nghi-theo-don-vi").status_code == 404


# ---------------------------------------------------------------- the pages

def test_the_unit_heads_home_shows_their_returned_items_with_the_reason_and_nothing_of_another_unit(client):
    units, heads = build(units=2, rounds=1, per_unit=6)
    Nomination.objects.filter(submission__unit=units[1], state=S.RETURNED).update(last_reason="Bí mật của đơn vị kia")
    client.force_login(heads[0])
    body = client.get(reverse("home")).content.decode()
    mine = Nomination.objects.get(submission__unit=units[0], state=S.RETURNED)
    assert "Việc đơn vị cần làm" in body
    assert f'href="/de-nghi/{mine.pk}/"' in body
    assert "Thiếu báo cáo thành tích" in body
    assert "Bí mật của đơn vị kia" not in body and units[1].name not in body
    assert "Biểu đồ" not in body and "chờ thẩm định" not in body


def test_the_offices_home_links_each_block_to_the_filtered_list_behind_it(client, office_user):
    build(units=2, rounds=1, per_unit=6)
    client.force_login(office_user)
    body = client.get(reverse("home")).content.decode()
    assert 'href="/de-nghi/tham-dinh/"' in body
    assert 'href="/de-nghi/?state=returned"' in body
    assert 'href="/dang-ky/2026/?state=submitted"' in body
    for key in ("de-nghi-theo-danh-hieu", "de-nghi-theo-don-vi", "ty-le-lanh-dao", "khen-thuong-5-nam", "tien-thuong-theo-nam"):
        assert f'href="/bieu-do/excel/?bieu-do={key}"' in body
    assert "<script" not in body.split("</head>")[1] and ' style="' not in body  # the CSP: no inline script or style


def test_empty_states(client, office_user, head_a):
    client.force_login(office_user)
    body = client.get(reverse("home")).content.decode()
    assert "Không có đợt đề nghị nào đang nhận hồ sơ." in body
    assert body.count("Chưa có số liệu.") == 4  # the bonus chart has its five years, at zero
    client.force_login(head_a)
    body = client.get(reverse("home")).content.decode()
    assert "Không có đề nghị nào bị trả lại." in body


# ---------------------------------------------------------------- constant query counts

def home_queries(client, user):
    client.force_login(user)
    client.get(reverse("home"))  # warm: the session, the content types
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def council_member():
    office = UserFactory(role="office")
    council, seats, secretary = make_council(5)
    sitting(office=office, council=council, chair=seats[0], secretary=secretary, nominations=vetted(2), start=False)
    return seats[1].user


def test_each_home_pages_query_count_is_constant_in_units_rounds_and_nominations(client, office_user):
    member = council_member()
    _units, heads = build(units=2, rounds=1, per_unit=2)
    small = {"office": home_queries(client, office_user), "unit": home_queries(client, heads[0]),
             "council": home_queries(client, member)}
    _more, _heads = build(units=6, rounds=3, per_unit=9, year=2025)
    vetted(4)
    large = {"office": home_queries(client, office_user), "unit": home_queries(client, heads[0]),
             "council": home_queries(client, member)}
    assert large == small
    assert small["office"] <= 40 and small["unit"] <= 30 and small["council"] <= 20
