"""Long lists are saved by the task worker (``nominations/import_jobs.py``): the page that follows the job, the real
worker, what is checked again at run time, who sees the job, and progress written outside the import's transaction."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook

from nominations import import_jobs
from nominations.import_jobs import import_job_create, import_job_run
from nominations.management.commands.prune_imports import prune_imports
from nominations.models import ImportJob, Nomination
from tdkt.models import AuditEvent
from tests.factories import UnitUserFactory
from tests.factories.nominations import NominationFactory, RoundFactory, SubmissionFactory, form, reseed_catalogues, staff

pytestmark = pytest.mark.integration

HEADERS = ["STT", "Cá nhân / Tập thể", "Họ và tên / Tên tập thể", "Ngày sinh", "Danh hiệu / Hình thức", "Tóm tắt thành tích"]


def _xlsx(people, *, sample=True):
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append(HEADERS)
    if sample:
        sheet.append(["Ví dụ", "Cá nhân", "Nguyễn Văn A", "05/01/1985", "Lao động tiên tiến", "Mẫu"])
    for index, person in enumerate(people, start=1):
        sheet.append([index, "Cá nhân", person.full_name, None, "LĐTT", f"Thành tích của {person.full_name}"])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("danh-sach.xlsx", out.getvalue())


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def small_threshold(settings, tmp_path):
    settings.TDKT_IMPORT_SYNC_MAX_ROWS = 2
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload_and_confirm(client, url, upload, reason=""):
    body = _text(client.post(url, {"file": upload}))
    token = re.search(r'name="token" value="([0-9a-f]+)"', body).group(1)
    return body, client.post(url, {"token": token, "override_reason": reason})


# ---------------------------------------------------------------- the whole journey, with the real worker

@pytest.mark.django_db(transaction=True)  # the worker closes its database connections, as in production
def test_a_long_list_is_saved_by_the_worker_and_its_page_follows_it(client, unit_a, small_threshold, django_capture_on_commit_callbacks):
    reseed_catalogues()
    nomination_round = RoundFactory()
    head = UnitUserFactory(unit=unit_a, username="truong_a")
    people = staff(unit_a, 3)
    client.force_login(head)
    url = reverse("nominations:nomination_import", args=[nomination_round.pk, unit_a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        body, response = _upload_and_confirm(client, url, _xlsx(people))
    assert "3 dòng hợp lệ." in body
    assert "Danh sách có 3 dòng: sau khi xác nhận, danh sách được lưu ở chế độ nền" in body
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("nominations:import_job", args=[job.pk])
    assert (job.user, job.round, job.unit, job.rows, job.status, job.original_name) == (
        head, nomination_round, unit_a, 3, "pending", "danh-sach.xlsx")
    assert not list((small_threshold / "imports").rglob("*.xlsx"))  # the pending upload became the job's own file
    assert [p.name for p in (small_threshold / "import_jobs").iterdir()] == [f"{job.pk}.xlsx"]
    page = _text(client.get(response["Location"]))
    assert "<strong>Đang chờ</strong>…" in page and 'hx-trigger="every 2s"' in page and Nomination.objects.count() == 0

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.created_count, job.done_rows, job.errors, job.file.name) == ("done", 3, 3, [], "")
    assert list((small_threshold / "import_jobs").iterdir()) == []
    assert sorted(Nomination.objects.values_list("person__full_name", "achievement_summary", "created_by__username")) == sorted(
        (p.full_name, f"Thành tích của {p.full_name}", "truong_a") for p in people)
    status = _text(client.get(reverse("nominations:import_job", args=[job.pk]), HTTP_HX_REQUEST="true"))
    assert status.lstrip().startswith('<div id="import-status"') and "hx-trigger" not in status
    assert "Đã nhập 3 đề nghị vào hồ sơ của đơn vị." in status
    assert reverse("nominations:submission_detail", args=[nomination_round.pk, unit_a.pk]) in status
    assert AuditEvent.objects.filter(content_type__model="importjob", object_id=str(job.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_outside_the_import_transaction(unit_a, small_threshold, monkeypatch):
    reseed_catalogues()
    nomination_round = RoundFactory()
    head = UnitUserFactory(unit=unit_a)
    people = staff(unit_a, 5)
    monkeypatch.setattr("nominations.importers.reading.PROGRESS_EVERY", 2)
    seen = []
    progress = import_jobs._progress

    def watched(job):
        report = progress(job)

        def spy(phase, rows):
            report(phase, rows)
            stored = ImportJob.objects.get(pk=job.pk)
            seen.append((phase, rows, stored.status, stored.done_rows, connection.in_atomic_block))
        return spy

    monkeypatch.setattr(import_jobs, "_progress", watched)
    job = import_job_create(actor=head, nomination_round=nomination_round, unit=unit_a, uploaded=_xlsx(people), rows=5)
    job = import_job_run(job_id=job.pk)
    assert job.status == "done" and Nomination.objects.count() == 5
    assert seen == [("reading", 2, "reading", 2, False), ("reading", 4, "reading", 4, False), ("saving", 5, "saving", 5, False)]


# ---------------------------------------------------------------- checked again at run time, all or nothing

@pytest.fixture
def queued(sub_a, head_a, small_threshold):
    people = staff(sub_a.unit, 3)
    job = import_job_create(actor=head_a, nomination_round=sub_a.round, unit=sub_a.unit, uploaded=_xlsx(people), rows=3)
    return job, people


def test_a_round_closed_meanwhile_fails_the_job_and_saves_nothing(queued, sub_a):
    job, _people = queued
    sub_a.round.status = "closed"
    sub_a.round.save()
    job = import_job_run(job_id=job.pk)
    assert (job.status, job.errors, Nomination.objects.count()) == ("failed", ["Đợt đề nghị “Tổng kết năm 2025” không còn nhận hồ sơ."], 0)
    assert import_job_run(job_id=job.pk) is None  # a finished job is never run twice


def test_a_user_who_lost_the_right_meanwhile_fails_the_job(queued, head_a, unit_b):
    job, _people = queued
    head_a.unit = unit_b
    head_a.save()
    job = import_job_run(job_id=job.pk)
    assert (job.status, job.errors, Nomination.objects.count()) == (
        "failed", ["Tài khoản của bạn không còn quyền nhập danh sách cho Phòng Quản lý khoa học."], 0)


def test_a_row_failing_the_rules_at_run_time_fails_the_whole_list(queued, sub_a):
    job, people = queued
    NominationFactory(submission=sub_a, person=people[1])  # proposed meanwhile by another path: R5
    job = import_job_run(job_id=job.pk)
    assert job.status == "failed" and Nomination.objects.count() == 1
    [message] = job.errors
    assert message.startswith(f"Dòng 4: R5 – Một thành tích chỉ khen thưởng một lần: {people[1].full_name} đã có đề nghị trong đợt")
    assert not job.file


def test_the_failed_page_lists_the_row_errors_and_offers_to_upload_again(client, queued, head_a, sub_a):
    job, people = queued
    NominationFactory(submission=sub_a, person=people[1])
    import_job_run(job_id=job.pk)
    client.force_login(head_a)
    page = _text(client.get(reverse("nominations:import_job", args=[job.pk])))
    assert "Không nhập được (1 lỗi): chưa lưu dòng nào." in page and "Dòng 4: R5 – " in page and "hx-trigger" not in page
    assert reverse("nominations:nomination_import", args=[sub_a.round_id, sub_a.unit_id]) in page


# ---------------------------------------------------------------- who sees it

def test_only_the_owner_sees_a_job_even_with_another_units_job_present(client, queued, head_a, office_user, unit_b, round_2025):
    job, _people = queued
    head_b = UnitUserFactory(unit=unit_b, username="truong_b")
    other = import_job_create(actor=head_b, nomination_round=round_2025, unit=unit_b, uploaded=_xlsx(staff(unit_b, 3)), rows=3)
    for user, visible in ((head_a, job), (head_b, other)):
        client.force_login(user)
        assert client.get(reverse("nominations:import_job", args=[visible.pk])).status_code == 200
        hidden = other if visible == job else job
        assert client.get(reverse("nominations:import_job", args=[hidden.pk])).status_code == 404
        assert client.get(reverse("nominations:import_job", args=[hidden.pk]), HTTP_HX_REQUEST="true").status_code == 404
    client.force_login(office_user)  # the office reads every unit's lists, not somebody else's job
    assert client.get(reverse("nominations:import_job", args=[job.pk])).status_code == 404


def test_a_unit_head_cannot_queue_a_list_for_another_unit(head_a, unit_b, round_2025, small_threshold):
    with pytest.raises(PermissionDenied):
        import_job_create(actor=head_a, nomination_round=round_2025, unit=unit_b, uploaded=_xlsx(staff(unit_b, 3)), rows=3)
    assert ImportJob.objects.count() == 0


# ---------------------------------------------------------------- the confirm step and the pending uploads

def test_warnings_without_a_reason_are_refused_before_queueing(client, head_a, sub_a, unit_b, small_threshold):
    people = staff(sub_a.unit, 3)
    earlier = SubmissionFactory(round=RoundFactory(kind="ad_hoc", deadline=None), unit=unit_b)
    NominationFactory(submission=earlier, person=people[0], title=None, form=form("GIAY_KHEN"))
    client.force_login(head_a)
    url = reverse("nominations:nomination_import", args=[sub_a.round_id, sub_a.unit_id])
    body, response = _upload_and_confirm(client, url, _xlsx(people))
    assert "Cảnh báo (cần ghi lý do để nhập):" in body
    assert response.status_code == 200 and ImportJob.objects.count() == 0
    assert "Có cảnh báo: hãy ghi lý do vượt cảnh báo để nhập." in _text(response)
    _body, response = _upload_and_confirm(client, url, _xlsx(people), reason="Hai thành tích khác nhau")
    job = ImportJob.objects.get()
    assert (response.status_code, job.override_reason) == (302, "Hai thành tích khác nhau")


def test_short_lists_are_still_saved_within_the_request(client, head_a, sub_a, small_threshold):
    client.force_login(head_a)
    url = reverse("nominations:nomination_import", args=[sub_a.round_id, sub_a.unit_id])
    _body, response = _upload_and_confirm(client, url, _xlsx(staff(sub_a.unit, 2)))
    assert response["Location"] == reverse("nominations:submission_detail", args=[sub_a.round_id, sub_a.unit_id])
    assert (Nomination.objects.count(), ImportJob.objects.count()) == (2, 0)


def test_pruning_pending_uploads_leaves_queued_jobs_their_file(queued, small_threshold):
    job, _people = queued
    (small_threshold / "imports" / "9").mkdir(parents=True)
    (small_threshold / "imports" / "9" / "abandoned.xlsx").write_bytes(b"PK")
    assert prune_imports(hours=0, now=10**12) == 1
    assert (small_threshold / "import_jobs" / f"{job.pk}.xlsx").exists()
    assert import_job_run(job_id=job.pk).status == "done"
