"""The nomination list read from one index (``nomination_list_ids`` then ``nominations_in_order``): the same rows in
the same order as the join it replaces, for every role and filter, and its copied keys kept in step."""

import datetime

import pytest
from django.db.models import F

from movements import services as org
from nominations import selectors, services
from nominations.forms import NominationFilter
from nominations.models import Nomination, UnitSubmission
from tests.factories import PersonFactory, UnitFactory, UnitUserFactory, UserFactory
from tests.factories.nominations import AdHocRoundFactory, NominationFactory, RoundFactory, SubmissionFactory, form, title

pytestmark = pytest.mark.integration

PERSONS_FIRST = F("unit_id").asc(nulls_first=True)


def joined_order(qs):
    """The list's order as the page had it before: a sort over the round, the submission and its unit."""
    return list(qs.order_by("-round__year", "-round_id", "submission__unit__sort_order", PERSONS_FIRST, "id")
                .values_list("pk", flat=True))


def listed(user, data=None):
    visible = selectors.nominations_visible_to(user)
    qs = NominationFilter(data, queryset=visible, units=selectors.units_for_submission(user), show_flags=True).qs
    return list(selectors.nomination_list_ids(user, qs))


@pytest.fixture
def world(db):
    """Three units (two share a sort order), three rounds over two years (two in 2025, the ad hoc one newer), persons
    and collectives in every state that matters, in an order of creation unlike the list's."""
    u1 = UnitFactory(name="Phòng Một", short_code="M1", sort_order=2)
    u2 = UnitFactory(name="Phòng Hai", short_code="M2", sort_order=1)
    u3 = UnitFactory(name="Phòng Ba", short_code="M3", sort_order=1)
    r2024 = RoundFactory(name="Tổng kết năm 2024", year=2024, reference_date=datetime.date(2024, 12, 15))
    r2025 = RoundFactory(name="Tổng kết năm 2025", year=2025, reference_date=datetime.date(2025, 12, 15))
    ad_hoc = AdHocRoundFactory(name="Đột xuất 2025", year=2025, reference_date=datetime.date(2025, 6, 1))
    made = []
    for nomination_round in (r2025, ad_hoc, r2024):
        for unit, states in ((u1, ("submitted", "draft")), (u3, ("draft", "vetted_pass")), (u2, ("returned", "submitted"))):
            submission = SubmissionFactory(round=nomination_round, unit=unit)
            for state in states:
                made.append(NominationFactory(submission=submission, person=PersonFactory(unit=unit), state=state))
            made.append(NominationFactory(submission=submission, person=None, unit=unit, title=None, form=form("GIAY_KHEN"),
                                          state=states[0]))
            made.append(NominationFactory(submission=submission, person=PersonFactory(unit=unit), state="submitted",
                                          title=title("CSTDCS")))
    return {"units": (u1, u2, u3), "rounds": (r2024, r2025, ad_hoc), "made": made}


@pytest.fixture
def users(world):
    u1, u2, _u3 = world["units"]
    return {"office": UserFactory(role="office"), "council": UserFactory(role="council"),
            "head_2": UnitUserFactory(unit=u2, username="truong_hai"), "head_1": UnitUserFactory(unit=u1, username="truong_mot")}


def test_every_role_sees_the_same_rows_in_the_same_order(world, users):
    u1, u2, u3 = world["units"]
    for role, user in users.items():
        assert listed(user) == joined_order(selectors.nominations_visible_to(user)), role
    assert len(listed(users["office"])) == len(world["made"]) == 36
    assert len(listed(users["council"])) == Nomination.objects.exclude(state="draft").count() == 27
    assert set(Nomination.objects.filter(pk__in=listed(users["head_2"])).values_list("submission__unit", flat=True)) == {u2.pk}
    assert len(listed(users["head_2"])) == 12


def test_the_order_is_newest_year_then_newest_round_then_the_units_order_persons_first(world, users):
    r2024, r2025, ad_hoc = world["rounds"]
    rows = Nomination.objects.in_bulk(listed(users["office"]))
    order = [rows[pk] for pk in listed(users["office"])]
    assert [n.round_id for n in order[::12]] == [ad_hoc.pk, r2025.pk, r2024.pk]
    first_round = order[:12]
    assert [n.submission.unit.sort_order for n in first_round] == [1] * 8 + [2] * 4
    # in units of the same order, the individuals of both come first, then the collectives (the order of unit_id)
    assert [n.unit_id is None for n in first_round[:8]] == [True] * 6 + [False] * 2


def test_each_filter_keeps_the_rows_and_the_order(world, users):
    r2024, r2025, _ad_hoc = world["rounds"]
    u1, u2, u3 = world["units"]
    office = users["office"]
    visible = selectors.nominations_visible_to(office)
    cases = [
        ({"round": r2024.pk}, visible.filter(round=r2024)),
        ({"unit": u3.pk}, visible.filter(submission__unit=u3)),
        ({"state": "submitted"}, visible.filter(state="submitted")),
        ({"award": f"t:{title('CSTDCS').pk}"}, visible.filter(title=title("CSTDCS"))),
        ({"award": f"f:{form('GIAY_KHEN').pk}"}, visible.filter(form=form("GIAY_KHEN"))),
        ({"subject": "unit"}, visible.filter(person__isnull=True)),
        ({"round": r2025.pk, "unit": u1.pk, "state": "draft"}, visible.filter(round=r2025, submission__unit=u1, state="draft")),
    ]
    for data, expected in cases:
        assert NominationFilter(data, queryset=visible, units=selectors.units_for_submission(office)).is_valid(), data
        got = listed(office, data)
        assert got == joined_order(expected), data
        assert got, data
    assert len(listed(office, {"round": r2024.pk})) == 12
    # a unit head cannot choose another unit (not among the choices): the filter is refused, the list stays theirs
    assert listed(users["head_2"], {"unit": u3.pk}) == listed(users["head_2"]) == joined_order(visible.filter(submission__unit=u2))


def test_the_rows_of_a_page_come_in_the_order_of_their_ids_with_what_the_list_shows(world, users, django_assert_num_queries):
    office = users["office"]
    page = listed(office)[5:30]
    with django_assert_num_queries(8):  # the rows; their rounds, submissions, proposing units, persons, collectives, titles, forms
        rows = selectors.nominations_in_order(office, page)
    assert [n.pk for n in rows] == page
    with django_assert_num_queries(0):
        shown = [(n.round.name, n.submission.unit.name, n.person.full_name if n.person else n.unit.name, n.award.name)
                 for n in rows]
    assert len(shown) == 25
    # a unit head asking for another unit's ids gets nothing
    others = list(Nomination.objects.exclude(submission__unit=users["head_2"].unit).values_list("pk", flat=True)[:5])
    assert selectors.nominations_in_order(users["head_2"], others) == []


# ---------------------------------------------------------------- the copied keys follow their sources

def keys(n):
    n.refresh_from_db()
    return n.list_year, n.list_unit, n.list_unit_order


def test_a_unit_moved_in_the_order_moves_in_the_list(world, users):
    u1, u2, u3 = world["units"]
    org.unit_update(actor=users["office"], unit=u1, sort_order=0)
    assert set(Nomination.objects.filter(submission__unit=u1).values_list("list_unit_order", flat=True)) == {0}
    assert set(Nomination.objects.filter(submission__unit=u2).values_list("list_unit_order", flat=True)) == {1}
    for user in users.values():
        assert listed(user) == joined_order(selectors.nominations_visible_to(user))


def test_a_round_whose_year_changes_moves_its_nominations(world, users):
    r2024, r2025, _ad_hoc = world["rounds"]
    Nomination.objects.filter(round=r2024).update(state="draft")  # the year of a round may change until a unit sends
    services.round_update(actor=users["office"], nomination_round=r2024, year=2026, reference_date=datetime.date(2026, 12, 15))
    assert set(Nomination.objects.filter(round=r2024).values_list("list_year", flat=True)) == {2026}
    assert set(Nomination.objects.filter(round=r2025).values_list("list_year", flat=True)) == {2025}
    assert listed(users["office"])[:12] == joined_order(Nomination.objects.filter(round=r2024))
    assert listed(users["office"]) == joined_order(selectors.nominations_visible_to(users["office"]))


def test_a_submission_given_to_another_unit_takes_its_nominations_along(world, users):
    u1, u2, u3 = world["units"]
    u4 = UnitFactory(name="Phòng Bốn", short_code="M4", sort_order=7)
    submission = UnitSubmission.objects.get(round=world["rounds"][0], unit=u1)
    submission.unit = u4
    submission.save()
    assert {keys(n) for n in submission.nominations.all()} == {(2024, u4.pk, 7)}
    assert listed(users["office"]) == joined_order(selectors.nominations_visible_to(users["office"]))


def test_nominations_saved_one_by_one_or_in_bulk_get_their_keys(world):
    u1, u2, u3 = world["units"]
    r2024 = world["rounds"][0]
    submission = UnitSubmission.objects.get(round=r2024, unit=u3)
    one = NominationFactory(submission=submission, person=PersonFactory(unit=u3))
    assert keys(one) == (2024, u3.pk, 1)
    people = [PersonFactory(unit=u3) for _ in range(3)]
    made = Nomination.objects.bulk_create([
        Nomination(round_id=r2024.pk, submission_id=submission.pk, person=p, title=title("LDTT"), state="draft") for p in people])
    assert [keys(n) for n in made] == [(2024, u3.pk, 1)] * 3


def test_a_state_change_writes_no_key(world, users, django_assert_max_num_queries):
    nomination = Nomination.objects.filter(state="submitted").first()
    nomination.state = "returned"
    with django_assert_max_num_queries(1):
        nomination.save(update_fields=["state"])
    assert keys(nomination)[0] == nomination.round.year
