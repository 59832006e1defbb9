"""A cluster's acclamation (suy tôn) becomes a nomination of the acclaimed unit."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from movements.models import ClusterAcclamation
from nominations import services
from nominations.models import Nomination
from tests.factories.movements import scoring_cluster
from tests.factories.nominations import RoundFactory, title

pytestmark = pytest.mark.integration


@pytest.fixture
def acclamation(unit_a, unit_b):
    cluster, _criteria = scoring_cluster(units=[unit_a, unit_b], leader=unit_a, state="concluded", year=2025)
    return ClusterAcclamation.objects.create(cluster=cluster, unit=unit_a, year=2025, rank=1, total_score=Decimal("97.90"),
                                             meeting_date=datetime.date(2025, 12, 20), minutes_number="05/BB-CTĐ",
                                             title=title("CO_TINH"))


@pytest.fixture
def round_2025_open(db):
    return RoundFactory(name="Tổng kết năm 2025", year=2025, reference_date=datetime.date(2025, 12, 15))


def test_acclamation_becomes_a_draft_nomination_and_is_marked(office_user, acclamation, round_2025_open):
    nomination = services.nomination_create_from_acclamation(actor=office_user, acclamation=acclamation,
                                                             nomination_round=round_2025_open)
    assert (nomination.unit, nomination.title.code, nomination.state, nomination.submission.unit) == (
        acclamation.unit, "CO_TINH", "draft", acclamation.unit)
    assert nomination.achievement_summary.startswith("Đơn vị dẫn đầu ")
    assert "(xếp thứ 1, tổng điểm 97,9), được suy tôn tại cuộc họp ngày 20/12/2025 (biên bản số 05/BB-CTĐ)." in \
        nomination.achievement_summary
    acclamation.refresh_from_db()
    assert acclamation.state == "nominated"
    with pytest.raises(ValidationError) as exc:
        services.nomination_create_from_acclamation(actor=office_user, acclamation=acclamation, nomination_round=round_2025_open)
    assert "đã được xử lý" in str(exc.value)
    assert Nomination.objects.count() == 1


def test_acclamation_of_another_year_or_by_a_unit_head_is_refused(office_user, head_a, acclamation):
    other_year = RoundFactory(name="Tổng kết năm 2026", year=2026, reference_date=datetime.date(2026, 12, 15))
    with pytest.raises(ValidationError):
        services.nomination_create_from_acclamation(actor=office_user, acclamation=acclamation, nomination_round=other_year)
    with pytest.raises(PermissionDenied):
        services.nomination_create_from_acclamation(actor=head_a, acclamation=acclamation, nomination_round=other_year)
    acclamation.refresh_from_db()
    assert (acclamation.state, Nomination.objects.count()) == ("proposed", 0)


def test_round_page_lists_pending_acclamations_and_confirms_before_creating(client, office_user, acclamation, round_2025_open):
    client.force_login(office_user)
    page = client.get(reverse("nominations:round_detail", args=[round_2025_open.pk])).content.decode()
    url = reverse("nominations:round_from_acclamation", args=[round_2025_open.pk, acclamation.pk])
    assert "Đề xuất từ suy tôn của cụm thi đua" in page and url in page
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert Nomination.objects.count() == 0
    response = client.post(url)
    nomination = Nomination.objects.get()
    assert response["Location"] == reverse("nominations:nomination_detail", args=[nomination.pk])
    page = client.get(reverse("nominations:round_detail", args=[round_2025_open.pk])).content.decode()
    assert url not in page


def test_unit_head_cannot_use_the_acclamation_page(client, head_a, acclamation, round_2025_open):
    client.force_login(head_a)
    url = reverse("nominations:round_from_acclamation", args=[round_2025_open.pk, acclamation.pk])
    assert client.post(url).status_code == 403
    assert Nomination.objects.count() == 0
