"""Automatic recusal from the position history (councils/recusal.py): the nominee; the members of a nominated unit and
its head, on the round's reference date; one query per reference date whatever the numbers of items and members."""

import datetime

import pytest

from councils.models import AgendaItem
from councils.recusal import automatic_recusals
from tests.factories import PersonFactory, UnitFactory
from tests.factories.councils import CouncilMemberFactory
from tests.factories.nominations import NominationFactory, RoundFactory, SubmissionFactory, title

pytestmark = pytest.mark.integration


def items_for(nominations):
    return [AgendaItem(pk=n.pk, nomination=n) for n in nominations]


def test_the_nominee_the_unit_and_its_head_on_the_reference_date(db, django_assert_num_queries):
    unit, other = UnitFactory(name="Phòng Quản lý khoa học"), UnitFactory()
    head = CouncilMemberFactory(person=PersonFactory(unit=unit, is_head=True, is_leadership=True))
    council = head.council
    worker = CouncilMemberFactory(council=council, person=PersonFactory(unit=unit))
    outsider = CouncilMemberFactory(council=council, person=PersonFactory(unit=other))
    joined_late = CouncilMemberFactory(council=council, person=PersonFactory(unit=unit, position=datetime.date(2026, 1, 1)))
    rounds = [RoundFactory(reference_date=datetime.date(2025, 12, 15)), RoundFactory(year=2026, reference_date=datetime.date(2026, 6, 1))]
    own_unit = [SubmissionFactory(round=r, unit=unit) for r in rounds]
    other_unit = SubmissionFactory(round=rounds[0], unit=other)
    nominations = [
        NominationFactory(submission=own_unit[0], person=None, unit=unit, title=title("TTLDTT")),
        NominationFactory(submission=own_unit[1], person=None, unit=unit, title=title("TTLDTT")),
        NominationFactory(submission=other_unit, person=outsider.person),
        NominationFactory(submission=other_unit, person=PersonFactory(unit=other)),
    ]
    nominations = [type(n).objects.select_related("round", "unit").get(pk=n.pk) for n in nominations]
    with django_assert_num_queries(2):  # one per reference date of a collective nomination
        found = automatic_recusals(items_for(nominations), [head, worker, outsider, joined_late])
    first, second, own, _none = (n.pk for n in nominations)
    assert found == {
        (first, head.pk): "Là người đứng đầu Phòng Quản lý khoa học (tập thể được đề nghị) vào ngày xét 15/12/2025.",
        (first, worker.pk): "Công tác tại Phòng Quản lý khoa học (tập thể được đề nghị) vào ngày xét 15/12/2025.",
        (second, head.pk): "Là người đứng đầu Phòng Quản lý khoa học (tập thể được đề nghị) vào ngày xét 01/06/2026.",
        (second, worker.pk): "Công tác tại Phòng Quản lý khoa học (tập thể được đề nghị) vào ngày xét 01/06/2026.",
        (second, joined_late.pk): "Công tác tại Phòng Quản lý khoa học (tập thể được đề nghị) vào ngày xét 01/06/2026.",
        (own, outsider.pk): "Là người được đề nghị.",
    }
