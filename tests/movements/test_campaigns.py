"""Campaigns (phong trào thi đua): services, workflow, typed documents and their pages."""

import datetime
import io
import os
import unicodedata
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse

from movements import services
from movements.models import Campaign, CampaignDocument
from movements.selectors import campaign_has_plan_and_review
from tdkt.models import AuditEvent
from tests.factories import UserFactory
from tests.factories.movements import CampaignDocumentFactory, CampaignFactory

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _campaign(actor, **kwargs):
    values = {"name": "Chuyển đổi số", "level": "province", "kind": "thematic", "start_year": 2022, "end_year": 2025}
    values.update(kwargs)
    return services.campaign_create(actor=actor, **values)


# ---------------------------------------------------------------- services

def test_create_normalises_and_audits(office_user):
    name = unicodedata.normalize("NFD", "  Hưng Yên đẩy mạnh   đề án Chuyển đổi số ")
    campaign = _campaign(office_user, name=name)
    assert campaign.name == "Hưng Yên đẩy mạnh đề án Chuyển đổi số"
    assert (campaign.status, campaign.period) == ("draft", "2022–2025")
    event = AuditEvent.objects.get(content_type__model="campaign", object_id=str(campaign.pk))
    assert (event.action, event.actor, event.changes["name"]) == ("create", office_user, [None, campaign.name])


def test_create_refuses_reversed_period_and_unit_heads(office_user, head_a):
    with pytest.raises(ValidationError) as exc:
        _campaign(office_user, start_year=2025, end_year=2021)
    assert exc.value.message_dict["end_year"] == ["Năm kết thúc phải từ năm bắt đầu trở đi."]
    with pytest.raises(PermissionDenied) as exc:
        _campaign(head_a)
    assert str(exc.value) == "Chỉ Văn phòng Sở được thực hiện thao tác này."
    assert Campaign.objects.count() == 0


def test_full_workflow_records_each_date_and_transition(office_user):
    campaign = _campaign(office_user)
    steps = [("launched", datetime.date(2022, 4, 5), "launched_on"),
             ("interim_review", datetime.date(2024, 1, 18), "interim_review_on"),
             ("final_review", datetime.date(2025, 12, 10), "final_review_on"),
             ("closed", datetime.date(2025, 12, 31), "closed_on")]
    for state, date, field in steps:
        campaign = services.campaign_transition(campaign=campaign, actor=office_user, to_state=state, date=date,
                                                reason="Theo kế hoạch")
        assert (campaign.status, getattr(campaign, field)) == (state, date)
    events = AuditEvent.objects.filter(content_type__model="campaign", object_id=str(campaign.pk), action="transition")
    assert list(events.order_by("id").values_list("from_state", "to_state")) == [
        ("draft", "launched"), ("launched", "interim_review"), ("interim_review", "final_review"), ("final_review", "closed")]
    assert set(events.values_list("reason", flat=True)) == {"Theo kế hoạch"}


def test_launched_campaign_may_skip_interim_review(office_user):
    campaign = CampaignFactory(status="launched", launched_on=datetime.date(2022, 1, 1))
    campaign = services.campaign_transition(campaign=campaign, actor=office_user, to_state="final_review",
                                            date=datetime.date(2025, 12, 1))
    assert campaign.status == "final_review"


def test_transition_refuses_a_jump_and_a_date_out_of_order(office_user):
    campaign = CampaignFactory()
    with pytest.raises(ValidationError) as exc:
        services.campaign_transition(campaign=campaign, actor=office_user, to_state="closed", date=datetime.date(2025, 1, 1))
    assert exc.value.messages == ["Không thể chuyển phong trào từ “Dự thảo” sang “Đã kết thúc”."]
    campaign = CampaignFactory(status="launched", launched_on=datetime.date(2023, 6, 1))
    with pytest.raises(ValidationError) as exc:
        services.campaign_transition(campaign=campaign, actor=office_user, to_state="interim_review",
                                     date=datetime.date(2023, 5, 1))
    assert exc.value.message_dict["date"] == ["Ngày sơ kết không được trước ngày phát động (01/06/2023)."]
    campaign.refresh_from_db()
    assert (campaign.status, campaign.interim_review_on) == ("launched", None)


def test_transition_refused_to_unit_heads(head_a):
    campaign = CampaignFactory()
    with pytest.raises(PermissionDenied):
        services.campaign_transition(campaign=campaign, actor=head_a, to_state="launched", date=datetime.date(2024, 1, 1))
    campaign.refresh_from_db()
    assert campaign.status == "draft"


def test_document_upload_is_stored_privately_with_a_random_name(office_user, settings):
    campaign = CampaignFactory()
    upload = SimpleUploadedFile("Kế hoạch 25-KH.pdf", PDF, content_type="application/pdf")
    document = services.campaign_document_add(actor=office_user, campaign=campaign, kind="plan", title="Kế hoạch thực hiện",
                                              number="25/KH-SKHCN", issued_on=datetime.date(2021, 3, 22), file=upload)
    assert document.original_name == "Kế hoạch 25-KH.pdf"
    assert document.file.name.startswith(f"campaigns/{campaign.pk}/") and document.file.name.endswith(".pdf")
    assert "Kế hoạch" not in document.file.name
    assert os.path.exists(os.path.join(settings.MEDIA_ROOT, document.file.name))
    with pytest.raises(Resolver404):  # no public URL serves uploaded files
        resolve(f"/media/{document.file.name}")
    assert AuditEvent.objects.filter(content_type__model="campaigndocument", object_id=str(document.pk), action="create").exists()


def test_docx_is_accepted(office_user):
    upload = SimpleUploadedFile("bao-cao.docx", _docx_bytes())
    document = services.campaign_document_add(actor=office_user, campaign=CampaignFactory(), kind="interim_report",
                                              title="Báo cáo sơ kết", file=upload)
    assert document.file.name.endswith(".docx")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("virus.exe", b"MZ\x90\x00", "Tệp “virus.exe” không được chấp nhận: chỉ nhận PDF, Word (.docx), Excel (.xlsx) hoặc ảnh (PNG, JPEG)."),
    ("gia-mao.pdf", b"MZ\x90\x00not a pdf", "Nội dung tệp “gia-mao.pdf” không đúng định dạng PDF (tệp hỏng hoặc bị đổi đuôi)."),
    ("zip-rong.docx", b"PK\x03\x04junk", "Nội dung tệp “zip-rong.docx” không đúng định dạng DOCX (tệp hỏng hoặc bị đổi đuôi)."),
    ("rong.pdf", b"", "Tệp “rong.pdf” rỗng."),
])
def test_document_upload_refuses_bad_files(office_user, name, content, message):
    with pytest.raises(ValidationError) as exc:
        services.campaign_document_add(actor=office_user, campaign=CampaignFactory(), kind="plan", title="Kế hoạch",
                                       file=SimpleUploadedFile(name, content))
    assert exc.value.message_dict["file"] == [message]
    assert CampaignDocument.objects.count() == 0


def test_document_upload_refuses_oversize(office_user, settings):
    settings.TDKT_UPLOAD_MAX_BYTES = 1024 * 1024
    big = PDF + b"0" * (2 * 1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        services.campaign_document_add(actor=office_user, campaign=CampaignFactory(), kind="plan", title="Kế hoạch",
                                       file=SimpleUploadedFile("lon.pdf", big))
    assert exc.value.message_dict["file"] == ["Tệp “lon.pdf” quá lớn (2,0 MB); tối đa 1,0 MB."]


def test_plan_and_review_rule_r10_follows_documents(office_user):
    campaign = CampaignFactory(kind="thematic")
    services.campaign_document_add(actor=office_user, campaign=campaign, kind="plan", title="Kế hoạch")
    assert campaign_has_plan_and_review(campaign) is False
    services.campaign_document_add(actor=office_user, campaign=campaign, kind="final_report", title="Báo cáo tổng kết")
    assert campaign_has_plan_and_review(campaign) is True


def test_document_remove_deletes_record_and_file(office_user, settings, django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    document = services.campaign_document_add(actor=office_user, campaign=campaign, kind="plan", title="Kế hoạch",
                                              file=SimpleUploadedFile("kh.pdf", PDF))
    path = os.path.join(settings.MEDIA_ROOT, document.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_document_remove(actor=office_user, document=document, reason="Nhầm văn bản")
    assert not CampaignDocument.objects.filter(pk=document.pk).exists()
    assert not os.path.exists(path)
    event = AuditEvent.objects.get(content_type__model="campaigndocument", object_id=str(document.pk), action="delete")
    assert (event.reason, event.changes["title"]) == ("Nhầm văn bản", ["Kế hoạch", None])


# ---------------------------------------------------------------- pages

@pytest.fixture
def campaigns(db):
    return {
        "ntm": CampaignFactory(name="Cả nước chung tay xây dựng nông thôn mới", level="prime_minister", kind="regular",
                               start_year=2021, end_year=2025, status="launched"),
        "cds": CampaignFactory(name="Hưng Yên đẩy mạnh đề án Chuyển đổi số", level="province", kind="thematic",
                               start_year=2022, end_year=2025, status="interim_review"),
        "vd4": CampaignFactory(name="Đường Vành đai 4", level="province", kind="thematic", start_year=2023, end_year=2026,
                               status="launched"),
        "dmst": CampaignFactory(name="Đổi mới sáng tạo", level="agency", kind="thematic", start_year=2021, end_year=2021,
                                status="closed"),
    }


def _names(response):
    return sorted(c.name for c in response.context["page"].object_list)


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ["Cả nước chung tay xây dựng nông thôn mới", "Hưng Yên đẩy mạnh đề án Chuyển đổi số", "Đường Vành đai 4",
          "Đổi mới sáng tạo"]),
    ({"level": "province"}, ["Hưng Yên đẩy mạnh đề án Chuyển đổi số", "Đường Vành đai 4"]),
    ({"kind": "regular"}, ["Cả nước chung tay xây dựng nông thôn mới"]),
    ({"status": "launched"}, ["Cả nước chung tay xây dựng nông thôn mới", "Đường Vành đai 4"]),
    ({"year": "2026"}, ["Đường Vành đai 4"]),
    ({"year": "2022", "level": "province"}, ["Hưng Yên đẩy mạnh đề án Chuyển đổi số"]),
    ({"q": "chuyển đổi"}, ["Hưng Yên đẩy mạnh đề án Chuyển đổi số"]),
])
def test_list_filters(client, head_a, campaigns, params, expected):
    client.force_login(head_a)  # everyone reads campaigns
    response = client.get(reverse("movements:campaign_list"), params)
    assert response.status_code == 200
    assert sorted(_names(response)) == sorted(expected)


def test_list_htmx_returns_the_partial_and_empty_state(client, office_user, campaigns):
    client.force_login(office_user)
    response = client.get(reverse("movements:campaign_list"), {"level": "other"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "Không có phong trào nào phù hợp với bộ lọc." in body


def test_list_paginates(client, office_user, settings):
    settings.TDKT_PAGE_SIZE = 5
    CampaignFactory.create_batch(7)
    client.force_login(office_user)
    response = client.get(reverse("movements:campaign_list"), {"page": 2})
    assert len(response.context["page"].object_list) == 2
    assert "Trang 2/2" in response.content.decode()


def test_office_creates_then_launches_through_pages(client, office_user):
    client.force_login(office_user)
    response = client.post(reverse("movements:campaign_create"), {
        "name": "Thi đua thực hiện văn hóa công sở", "level": "prime_minister", "kind": "regular", "start_year": "2021",
        "end_year": "2025", "description": ""})
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("movements:campaign_detail", args=[campaign.pk])
    url = reverse("movements:campaign_transition", args=[campaign.pk, "launched"])
    body = client.get(url).content.decode()
    assert "Ngày phát động" in body
    campaign.refresh_from_db()
    assert campaign.status == "draft"  # GET only shows the confirmation
    response = client.post(url, {"date": "15/09/2021", "reason": ""})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.status, campaign.launched_on) == ("launched", datetime.date(2021, 9, 15))


def test_detail_shows_documents_and_r10_hint(client, head_a):
    campaign = CampaignFactory(kind="thematic")
    CampaignDocumentFactory(campaign=campaign, kind="plan", title="Kế hoạch số 25")
    client.force_login(head_a)
    body = client.get(reverse("movements:campaign_detail", args=[campaign.pk])).content.decode()
    assert "Kế hoạch số 25" in body
    assert "Khen thưởng chuyên đề cần kế hoạch và báo cáo sơ kết hoặc tổng kết" in body
    assert reverse("movements:campaign_edit", args=[campaign.pk]) not in body


def test_upload_page_shows_vietnamese_error(client, office_user):
    campaign = CampaignFactory()
    client.force_login(office_user)
    response = client.post(reverse("movements:campaign_document_add", args=[campaign.pk]), {
        "kind": "plan", "title": "Kế hoạch", "file": SimpleUploadedFile("ke-hoach.exe", b"MZ")})
    assert response.status_code == 200
    assert "Tệp “ke-hoach.exe” không được chấp nhận" in response.content.decode()
    assert not campaign.documents.exists()


def test_download_is_permission_checked_and_named(client, office_user, head_a):
    campaign = CampaignFactory()
    document = services.campaign_document_add(actor=office_user, campaign=campaign, kind="plan", title="Kế hoạch",
                                              file=SimpleUploadedFile("Kế hoạch.pdf", PDF))
    url = reverse("movements:campaign_document_download", args=[document.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(head_a)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    inactive = UserFactory(role="office", is_active=False)
    client.force_login(inactive)
    assert client.get(url).status_code == 302


def test_document_remove_asks_for_confirmation(client, office_user):
    document = CampaignDocumentFactory()
    client.force_login(office_user)
    url = reverse("movements:campaign_document_remove", args=[document.pk])
    assert "Xoá văn bản “Kế hoạch thực hiện phong trào”?" in client.get(url).content.decode()
    assert CampaignDocument.objects.filter(pk=document.pk).exists()
    assert client.post(url, {"reason": ""}).status_code == 302
    assert not CampaignDocument.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize("name", ["campaign_create"])
def test_unit_head_cannot_manage_campaigns(client, head_a, name):
    client.force_login(head_a)
    assert client.get(reverse(f"movements:{name}")).status_code == 403


def test_unit_head_cannot_transition_or_upload(client, head_a):
    campaign = CampaignFactory()
    document = CampaignDocumentFactory(campaign=campaign)
    client.force_login(head_a)
    assert client.post(reverse("movements:campaign_transition", args=[campaign.pk, "launched"]),
                       {"date": "01/01/2024"}).status_code == 403
    assert client.post(reverse("movements:campaign_document_add", args=[campaign.pk]),
                       {"kind": "plan", "title": "X"}).status_code == 403
    assert client.post(reverse("movements:campaign_document_remove", args=[document.pk])).status_code == 403
    campaign.refresh_from_db()
    assert (campaign.status, campaign.documents.count()) == ("draft", 1)


def test_demo_campaigns_from_seed_000(db):
    from movements.demo import seed_demo

    seed_demo()
    seed_demo()
    levels = dict(Campaign.objects.values("level").annotate(n=__import__("django").db.models.Count("id")).values_list("level", "n"))
    assert levels == {"prime_minister": 4, "province": 5, "agency": 1}
    own = Campaign.objects.get(level="agency")
    assert own.name == "Đổi mới sáng tạo, ứng dụng tiến bộ khoa học và công nghệ vào thực tiễn sản xuất và đời sống"
    assert (own.period, own.lead_unit.short_code, own.status) == ("2021–2025", "SKHCN", "interim_review")
    assert campaign_has_plan_and_review(own) is True
    assert Campaign.objects.get(name__startswith="Đẩy mạnh công tác cải cách hành chính").period == "2022–2025"
