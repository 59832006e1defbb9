"""The decision pages (issue 11): the office only, the draft → issue → revoke journey through the views, the files."""

import datetime

import pytest
from django.urls import reverse

from councils import services
from councils.enums import DecisionState
from councils.models import Decision
from nominations.enums import NominationState
from nominations.models import Nomination
from tests.factories import UnitUserFactory, UserFactory
from tests.factories.councils import vetted
from tests.factories.decisions import agency, passed_meeting

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def draft(office, unit_a):
    agency()
    meeting, _items = passed_meeting(office=office, nominations=vetted(3, unit=unit_a))
    (decision,) = services.decisions_create_from_meeting(actor=office, meeting=meeting, date=datetime.date(2026, 1, 5))
    return decision


def test_only_the_office_reaches_the_decision_pages(client, draft, unit_a):
    pages = [reverse("councils:decision_list"), reverse("councils:decision_detail", args=[draft.pk]),
             reverse("councils:decision_file", args=[draft.pk, "pdf"])]
    for user in (UnitUserFactory(unit=unit_a), UserFactory(role="council")):
        client.force_login(user)
        assert [client.get(url).status_code for url in pages] == [403, 403, 403]


def test_list_and_detail_show_the_draft_with_its_total_and_expected_number(client, office, draft, django_assert_max_num_queries):
    client.force_login(office)
    with django_assert_max_num_queries(20):
        listing = client.get(reverse("councils:decision_list")).content.decode()
    assert "(dự thảo)" in listing and "2.130.000" in listing
    with django_assert_max_num_queries(25):
        detail = client.get(reverse("councils:decision_detail", args=[draft.pk])).content.decode()
    assert "dự kiến 01/QĐ-SKHCN" in detail and "2.130.000" in detail


def test_issue_then_revoke_through_the_pages(client, office, draft):
    client.force_login(office)
    response = client.post(reverse("councils:decision_issue", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.number) == (DecisionState.ISSUED, "01/QĐ-SKHCN")
    nominations = [line.nomination_id for line in draft.lines.all()]
    assert set(Nomination.objects.filter(pk__in=nominations).values_list("state", flat=True)) == {NominationState.DECIDED}
    # an issued decision has no edit page any more
    assert client.get(reverse("councils:decision_edit", args=[draft.pk])).status_code == 302
    # revoking without a reason changes nothing
    page = client.post(reverse("councils:decision_revoke", args=[draft.pk]), {"reason": ""})
    assert page.status_code == 200 and Decision.objects.get(pk=draft.pk).state == DecisionState.ISSUED
    client.post(reverse("councils:decision_revoke", args=[draft.pk]), {"reason": "Nhầm danh sách"})
    assert Decision.objects.get(pk=draft.pk).state == DecisionState.REVOKED
    assert set(Nomination.objects.filter(pk__in=nominations).values_list("state", flat=True)) == {NominationState.COUNCIL_PASSED}


def test_files_of_a_draft(client, office, draft):
    client.force_login(office)
    pdf = client.get(reverse("councils:decision_file", args=[draft.pk, "pdf"]))
    assert (pdf.status_code, pdf["Content-Type"], pdf.content[:5]) == (200, "application/pdf", b"%PDF-")
    docx = client.get(reverse("councils:decision_file", args=[draft.pk, "docx"]))
    assert docx["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    xlsx = client.get(reverse("councils:decision_file", args=[draft.pk, "xlsx"]))
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert client.get(reverse("councils:decision_file", args=[draft.pk, "odt"])).status_code == 404
