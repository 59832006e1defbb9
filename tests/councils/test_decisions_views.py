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


# ---------------------------------------------------------------- a long annex renders in the background (part: pdfspeed)

def test_a_decision_with_a_long_annex_renders_in_the_background_and_lands_in_my_files(client, office, draft, settings,
                                                                                      django_capture_on_commit_callbacks):
    from tdkt.export_jobs import export_job_run
    from tdkt.models import ExportJob

    settings.TDKT_EXPORT_BACKGROUND_ROWS = {"xlsx": 5000, "pdf": 2}  # the draft's annex has 3 lines
    client.force_login(office)
    detail = reverse("councils:decision_detail", args=[draft.pk])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.get(reverse("councils:decision_file", args=[draft.pk, "pdf"]))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("export_job", args=[job.pk]) and len(queued) == 1
    assert (job.user, job.key, job.fmt, job.rows, job.params, job.title, job.back_url, job.filename, job.status) == (
        office, "councils.decision", "pdf", 3, {"decision": str(draft.pk)}, "Quyết định (dự thảo) (PDF)", detail,
        f"du-thao-quyet-dinh-{draft.pk}.pdf", "pending")
    page = client.get(response["Location"]).content.decode()
    assert "Đang tạo: Quyết định (dự thảo) (PDF) (3 dòng)." in page and f'href="{detail}">← Quay lại trang trước</a>' in page
    assert f'<a href="{reverse("my_files")}">Tệp của tôi</a>' in page

    job = export_job_run(job_id=job.pk)
    assert (job.status, job.error) == ("done", "")
    files = client.get(reverse("my_files")).content.decode()
    assert "Quyết định (dự thảo) (PDF)" in files and reverse("export_job_download", args=[job.pk]) in files
    download = client.get(reverse("export_job_download", args=[job.pk]))
    content = b"".join(download.streaming_content) if download.streaming else download.content
    assert (download.status_code, content[:5]) == (200, b"%PDF-")
    assert download["Content-Disposition"] == f'attachment; filename="du-thao-quyet-dinh-{draft.pk}.pdf"'

    # Word the same way; at the threshold (3 lines, threshold 3) the file comes at once, no job
    assert client.get(reverse("councils:decision_file", args=[draft.pk, "docx"])).status_code == 302
    assert ExportJob.objects.filter(fmt="docx", key="councils.decision").count() == 1
    settings.TDKT_EXPORT_BACKGROUND_ROWS = {"xlsx": 5000, "pdf": 3}
    pdf = client.get(reverse("councils:decision_file", args=[draft.pk, "pdf"]))
    assert (pdf.status_code, pdf.content[:5], ExportJob.objects.count()) == (200, b"%PDF-", 2)


def test_a_background_decision_is_only_for_who_may_see_it(client, office, draft, head_a):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from tdkt.documents import build_document

    with pytest.raises(PermissionDenied):
        build_document("councils.decision", head_a, {"decision": str(draft.pk)})
    for params in ({"decision": "x"}, {"decision": str(draft.pk + 1000)}, {}):
        with pytest.raises(Http404):
            build_document("councils.decision", office, params)
    assert build_document("councils.decision", office, {"decision": str(draft.pk)}).number == "/QĐ-SKHCN"
