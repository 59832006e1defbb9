"""The bounded paginator of long lists: Django's paginator up to its limit, a count that stops there past it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from movements.models import Unit
from tdkt.shortcuts import BoundedPaginator
from tests.factories import UnitFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def units(db):
    return [UnitFactory(name=f"Phòng {i:02d}", short_code=f"P{i:02d}", sort_order=i) for i in range(12)]


def ordered():
    return Unit.objects.filter(kind="division").order_by("sort_order").values_list("name", flat=True)


def test_up_to_the_limit_it_is_djangos_paginator(units):
    paginator = BoundedPaginator(ordered(), 5, limit=12)
    assert (paginator.count, paginator.exact, paginator.num_pages) == (12, True, 3)
    page = paginator.get_page("3")
    assert (list(page.object_list), page.has_next(), page.has_previous()) == (["Phòng 10", "Phòng 11"], False, True)
    assert paginator.get_page("99").number == 3
    assert paginator.get_page("x").number == 1


def test_past_the_limit_the_count_stops_and_the_next_page_is_known_from_one_row_more(units):
    paginator = BoundedPaginator(ordered(), 5, limit=8)
    with CaptureQueriesContext(connection) as ctx:
        assert (paginator.count, paginator.exact, paginator.num_pages) == (9, False, None)
    assert "LIMIT 9" in ctx.captured_queries[0]["sql"]
    assert "ORDER BY" not in ctx.captured_queries[0]["sql"]
    second = paginator.get_page(2)
    assert (list(second.object_list), second.has_next(), second.has_previous()) == (
        ["Phòng 05", "Phòng 06", "Phòng 07", "Phòng 08", "Phòng 09"], True, True)
    third = paginator.get_page(3)
    assert (list(third.object_list), third.has_next(), third.previous_page_number()) == (["Phòng 10", "Phòng 11"], False, 2)
    assert paginator.get_page(4).number == 1  # past the end
    assert paginator.get_page("-1").number == 1
    assert paginator.get_page(10**12).number == 1  # no offset past the bound
