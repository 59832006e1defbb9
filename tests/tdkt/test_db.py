"""``field__any``: the same rows as ``field__in``; on PostgreSQL one array parameter instead of one per value."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from movements.models import Person, Unit
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def people(db):
    unit_a, unit_b = UnitFactory(name="Phòng Một", short_code="P1"), UnitFactory(name="Phòng Hai", short_code="P2")
    return [PersonFactory(unit=unit_a, full_name="Nguyễn Văn An"), PersonFactory(unit=unit_a, full_name="Trần Thị Bình"),
            PersonFactory(unit=unit_b, full_name="Lê Văn Cường")]


def ids(qs):
    return sorted(qs.values_list("pk", flat=True))


def test_any_finds_the_rows_in_finds(people):
    a, b, c = people
    for values in ([a.pk, c.pk], {b.pk}, (a.pk, a.pk, None), [c.pk, 10**9]):
        assert ids(Person.objects.filter(pk__any=values)) == ids(Person.objects.filter(pk__in=values))
    assert ids(Person.objects.filter(pk__any=[a.pk, c.pk])) == sorted([a.pk, c.pk])
    assert ids(Person.objects.filter(unit_id__any=[a.unit_id])) == sorted([a.pk, b.pk])
    assert ids(Person.objects.filter(unit__any=[c.unit])) == [c.pk]  # a foreign key takes instances, as __in does
    assert ids(Person.objects.filter(full_name__any=["Trần Thị Bình", "Không Có"])) == [b.pk]


def test_an_empty_list_matches_nothing_and_excluding_it_everything(people):
    assert ids(Person.objects.filter(pk__any=[])) == []
    assert ids(Person.objects.filter(pk__any=[None])) == []
    assert ids(Person.objects.exclude(pk__any=[])) == ids(Person.objects.all())
    assert ids(Person.objects.exclude(pk__any=[people[0].pk])) == sorted(p.pk for p in people[1:])


def test_a_subquery_stays_a_subquery(people):
    units = Unit.objects.filter(name="Phòng Hai").values("pk")
    assert ids(Person.objects.filter(unit_id__any=units)) == [people[2].pk]


def test_the_query_text_is_the_same_for_any_number_of_ids(people):
    def sql(values):
        with CaptureQueriesContext(connection) as ctx:
            list(Person.objects.filter(pk__any=values).values_list("pk", flat=True))
        return ctx.captured_queries[0]["sql"]

    small, large = sql([people[0].pk]), sql([p.pk for p in people] + list(range(10**6, 10**6 + 997)))
    if connection.vendor == "postgresql":
        assert '"movements_person"."id" = ANY(' in small
        assert "::bigint[]" in large
        assert large.count(",") - small.count(",") == 999  # the values are inside one array literal
        assert " IN (" not in large
    else:
        assert '"movements_person"."id" IN (' in small
