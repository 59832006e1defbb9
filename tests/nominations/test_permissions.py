"""Role matrix of the nominations pages, with the other unit's data present."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from nominations import services
from nominations.models import Nomination, UnitSubmission
from tests.factories import PersonFactory
from tests.factories.nominations import AwardFactory, NominationFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def data(sub_a, sub_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    own = NominationFactory(submission=sub_a, person=PersonFactory(unit=sub_a.unit, full_name="Trần Thị Ánh"))
    other = NominationFactory(submission=sub_b, person=PersonFactory(unit=sub_b.unit, full_name="Lê Văn Bảo"))
    other_sent = NominationFactory(submission=sub_b, person=PersonFactory(unit=sub_b.unit, full_name="Hoàng Văn Sơn"), state="submitted")
    document = services.document_add(actor=None, submission=sub_b, kind="memo",
                                     uploaded_file=SimpleUploadedFile("to-trinh-b.pdf", b"%PDF-1.4 secret"))
    return {"own": own, "other": other, "other_sent": other_sent, "document": document, "round": sub_a.round,
            "unit_b": sub_b.unit}


def other_unit_urls(d):
    r, b, n = d["round"].pk, d["unit_b"].pk, d["other"].pk
    return [
        reverse("nominations:nomination_detail", args=[n]),
        reverse("nominations:nomination_edit", args=[n]),
        reverse("nominations:nomination_delete", args=[n]),
        reverse("nominations:nomination_transition", args=[n, "submitted"]),
        reverse("nominations:submission_detail", args=[r, b]),
        reverse("nominations:nomination_create", args=[r, b]),
        reverse("nominations:nomination_import", args=[r, b]),
        reverse("nominations:nomination_import_template", args=[r, b]),
        reverse("nominations:submission_submit", args=[r, b]),
        reverse("nominations:document_download", args=[d["document"].pk]),
        reverse("nominations:document_delete", args=[d["document"].pk]),
    ]


def test_a_unit_head_gets_404_for_everything_of_another_unit(client, head_a, data):
    client.force_login(head_a)
    for url in other_unit_urls(data):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x", "memo_number": "1"}).status_code == 404, url
    check = reverse("nominations:nomination_check", args=[data["round"].pk, data["unit_b"].pk])
    assert client.post(check, {"subject_kind": "person"}).status_code == 404
    data["other"].refresh_from_db()
    assert (data["other"].state, Nomination.objects.count()) == ("draft", 3)


def test_a_unit_head_lists_only_their_unit(client, head_a, data):
    client.force_login(head_a)
    body = client.get(reverse("nominations:nomination_list")).content.decode()
    assert "Trần Thị Ánh" in body
    assert "Lê Văn Bảo" not in body and "Hoàng Văn Sơn" not in body
    body = client.get(reverse("nominations:round_detail", args=[data["round"].pk])).content.decode()
    assert "Phòng Quản lý khoa học" in body and "Trung tâm Ứng dụng" not in body


@pytest.mark.parametrize("name", ["vetting_queue", "round_create", "award_create", "award_import", "initiative_create"])
def test_office_pages_are_403_for_unit_heads_and_council(client, head_a, council_user, name):
    for user in (head_a, council_user):
        client.force_login(user)
        assert client.get(reverse(f"nominations:{name}")).status_code == 403


def test_unit_heads_cannot_vet_their_own_nominations(client, head_a, data):
    data["own"].state = "submitted"
    data["own"].save()
    client.force_login(head_a)
    url = reverse("nominations:nomination_transition", args=[data["own"].pk, "vetted_pass"])
    assert client.post(url).status_code == 403
    assert client.post(reverse("nominations:vetting_bulk"), {"ids": [data["own"].pk], "action": "vetted_pass", "confirm": "1"}).status_code == 403
    data["own"].refresh_from_db()
    assert data["own"].state == "submitted"


def test_the_council_reads_sent_nominations_but_not_drafts_and_writes_nothing(client, council_user, data):
    client.force_login(council_user)
    assert client.get(reverse("nominations:nomination_detail", args=[data["other_sent"].pk])).status_code == 200
    assert client.get(reverse("nominations:nomination_detail", args=[data["other"].pk])).status_code == 404
    body = client.get(reverse("nominations:nomination_list")).content.decode()
    assert "Hoàng Văn Sơn" in body and "Lê Văn Bảo" not in body
    assert client.get(reverse("nominations:submission_detail", args=[data["round"].pk, data["unit_b"].pk])).status_code == 200
    assert client.get(reverse("nominations:nomination_create", args=[data["round"].pk, data["unit_b"].pk])).status_code == 403
    assert client.get(reverse("nominations:document_download", args=[data["document"].pk])).status_code == 404  # list not sent
    UnitSubmission.objects.filter(pk=data["document"].submission_id).update(submitted_at=timezone.now())
    response = client.get(reverse("nominations:document_download", args=[data["document"].pk]))
    assert (response.status_code, b"".join(response.streaming_content)) == (200, b"%PDF-1.4 secret")


@pytest.fixture
def council_data(data):
    """Unit B's list is sent; it also holds a draft with its achievement report, and the sent nomination has one too."""
    sub_b = data["other"].submission
    sub_b.memo_number, sub_b.memo_date, sub_b.submitted_at = "12/TTr-TTUD", datetime.date(2025, 12, 20), timezone.now()
    sub_b.save()
    draft_report = services.document_add(actor=None, submission=sub_b, kind="report", nomination=data["other"],
                                         uploaded_file=SimpleUploadedFile("bao-cao-nhap.pdf", b"%PDF-1.4 draft"))
    sent_report = services.document_add(actor=None, submission=sub_b, kind="report", nomination=data["other_sent"],
                                        uploaded_file=SimpleUploadedFile("bao-cao-da-gui.pdf", b"%PDF-1.4 sent"))
    return {**data, "draft_report": draft_report, "sent_report": sent_report}


def test_the_council_never_downloads_a_drafts_files(client, council_user, office_user, council_data):
    client.force_login(council_user)
    assert client.get(reverse("nominations:document_download", args=[council_data["draft_report"].pk])).status_code == 404
    response = client.get(reverse("nominations:document_download", args=[council_data["sent_report"].pk]))
    assert (response.status_code, b"".join(response.streaming_content)) == (200, b"%PDF-1.4 sent")
    client.force_login(office_user)
    response = client.get(reverse("nominations:document_download", args=[council_data["draft_report"].pk]))
    assert (response.status_code, b"".join(response.streaming_content)) == (200, b"%PDF-1.4 draft")


def test_the_submission_page_shows_the_council_only_what_was_sent(client, council_user, council_data):
    client.force_login(council_user)
    response = client.get(reverse("nominations:submission_detail", args=[council_data["round"].pk, council_data["unit_b"].pk]))
    body = response.content.decode()
    assert "bao-cao-da-gui.pdf" in body and "Hoàng Văn Sơn" in body and "to-trinh-b.pdf" in body
    assert "bao-cao-nhap.pdf" not in body and "Lê Văn Bảo" not in body
    assert [(value, count) for value, _label, count in response.context["states"] if count] == [("submitted", 1)]
    assert (response.context["progress"]["total"], response.context["progress"]["drafts"]) == (1, 0)


def test_the_round_progress_shows_the_council_no_drafts(client, council_user, office_user, council_data):
    url = reverse("nominations:round_detail", args=[council_data["round"].pk])
    client.force_login(council_user)
    response = client.get(url)
    rows = {r["unit"].pk: r for r in response.context["rows"]}
    assert [(r["total"], r["drafts"], r["waiting"]) for r in (rows[council_data["unit_b"].pk], rows[council_data["own"].submission.unit_id])] \
        == [(1, 0, 1), (0, 0, 0)]
    assert (response.context["totals"]["total"], response.context["totals"]["persons"]) == (1, 1)
    assert "<th class=\"num hide-sm\">Nháp</th>" not in response.content.decode()
    client.force_login(office_user)
    response = client.get(url)
    rows = {r["unit"].pk: r for r in response.context["rows"]}
    assert [(r["total"], r["drafts"]) for r in (rows[council_data["unit_b"].pk], rows[council_data["own"].submission.unit_id])] \
        == [(2, 1), (1, 1)]
    assert "<th class=\"num hide-sm\">Nháp</th>" in response.content.decode()


def test_the_office_sees_and_enters_for_any_unit(client, office_user, data):
    client.force_login(office_user)
    for url in other_unit_urls(data)[:2] + other_unit_urls(data)[4:7]:
        assert client.get(url).status_code == 200, url
    response = client.get(reverse("nominations:document_download", args=[data["document"].pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="to-trinh-b.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"


def test_award_history_is_scoped(client, head_a, person_a, person_b):
    AwardFactory(person=person_a, year=2023)
    AwardFactory(person=person_b, year=2023)
    client.force_login(head_a)
    body = client.get(reverse("nominations:award_list")).content.decode()
    assert "Trần Thị Ánh" in body and "Lê Văn Bảo" not in body


def test_anonymous_users_go_to_login(client, data):
    for url in other_unit_urls(data) + [reverse("nominations:nomination_list"), reverse("nominations:round_list")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
