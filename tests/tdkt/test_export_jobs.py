"""Large exports go to the task worker (django-tasks-db): job page, worker run, scoped download."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tdkt.models import ExportJob
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def small_threshold(settings, tmp_path):
    settings.TDKT_EXPORT_BACKGROUND_ROWS = {"xlsx": 2, "pdf": 1}
    settings.MEDIA_ROOT = tmp_path


def _names(content):
    return [row[1] for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=5, values_only=True)]


@pytest.mark.django_db(transaction=True)  # the worker closes its database connections, as in production
def test_a_large_export_runs_in_the_worker_and_keeps_the_unit_scope(client, head_a, person_a, person_b, small_threshold,
                                                                   django_capture_on_commit_callbacks):
    PersonFactory.create_batch(2, unit=person_a.unit)
    client.force_login(head_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("movements:person_list"), {"xuat": "xlsx", "q": ""})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("export_job", args=[job.pk])
    assert (job.user, job.key, job.fmt, job.rows, job.status) == (head_a, "movements.people", "xlsx", 3, "pending")
    page = client.get(response["Location"]).content.decode()
    assert "Danh sách có 3 dòng nên được tạo ở chế độ nền." in page and 'hx-trigger="every 2s"' in page

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.filename, job.error) == ("done", "danh-sach-ca-nhan.xlsx", "")
    status = client.get(reverse("export_job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert status.lstrip().startswith('<div id="export-status"') and "hx-trigger" not in status
    assert "Tệp đã sẵn sàng (3 dòng)." in status
    download = client.get(reverse("export_job_download", args=[job.pk]))
    names = _names(b"".join(download.streaming_content))
    assert len(names) == 3 and "Trần Thị Ánh" in names and "Lê Văn Bảo" not in names


def test_only_the_owner_sees_or_downloads_a_job(client, head_a, office_user, small_threshold):
    job = ExportJob.objects.create(user=office_user, key="movements.people", fmt="xlsx", rows=10)
    client.force_login(head_a)
    assert client.get(reverse("export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404
    client.force_login(office_user)
    assert client.get(reverse("export_job", args=[job.pk])).status_code == 200
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404  # not ready yet


def test_a_failing_job_says_so(client, db, small_threshold):
    from tdkt.export_jobs import export_job_run

    user = UserFactory(role="office")
    broken = ExportJob.objects.create(user=user, key="khong.ton.tai", fmt="xlsx", rows=5)
    broken = export_job_run(job_id=broken.pk)
    assert broken.status == "failed"
    client.force_login(user)
    assert "Không tạo được tệp." in client.get(reverse("export_job", args=[broken.pk])).content.decode()
    assert export_job_run(job_id=broken.pk) is None  # a finished job is never run twice


def test_small_exports_still_answer_at_once(client, office_user, person_a, small_threshold):
    client.force_login(office_user)
    response = client.get(reverse("movements:person_list"), {"xuat": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="danh-sach-ca-nhan.xlsx"'
    assert ExportJob.objects.count() == 0


def test_a_pdf_job_is_rendered_in_chunks_straight_into_a_file(db, office_user, person_a, settings, small_threshold, monkeypatch,
                                                               tmp_path):
    import subprocess

    from tdkt import export_jobs

    settings.TDKT_PDF_CHUNK_ROWS = 2
    PersonFactory.create_batch(4, unit=person_a.unit)
    outputs = []
    real = export_jobs.render_pdf

    def spy(exporter, *, agency=None, output=None):
        outputs.append(output)
        return real(exporter, agency=agency, output=output)

    monkeypatch.setattr(export_jobs, "render_pdf", spy)
    job = ExportJob.objects.create(user=office_user, key="movements.people", fmt="pdf", rows=5)
    job = export_jobs.export_job_run(job_id=job.pk)
    assert (job.status, job.filename, job.error) == ("done", "danh-sach-ca-nhan.pdf", "")
    assert len(outputs) == 1 and hasattr(outputs[0], "write")  # written to a file, not returned as bytes
    path = tmp_path / "job.pdf"
    with job.file.open("rb") as stored:
        path.write_bytes(stored.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Trần Thị Ánh" in text and text.count("Họ và tên") == 3  # three chunks of two rows, merged
