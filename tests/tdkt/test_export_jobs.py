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


# ---------------------------------------------------------------- documents in the background, "Tệp của tôi" (part: docs, issue 11)

def _sample_document(user, params):
    from tdkt.documents import Document, Issuer, Table

    rows = int(params.get("rows", 3))
    return Document(kind="DANH SÁCH", subject="Danh sách thử", issuer=Issuer("UBND tỉnh Hưng Yên", "Sở Khoa học và Công nghệ"),
                    body=[Table(["STT", "Họ và tên"], [[i, f"Trần Thị Ánh {i}"] for i in range(1, rows + 1)])])


@pytest.fixture
def sample_document():
    from tdkt.documents import DOCUMENTS, register_document

    register_document("tests.sample")(_sample_document)
    yield "tests.sample"
    DOCUMENTS.pop("tests.sample")


def test_a_large_document_is_made_in_the_background_with_what_and_where_back(rf, office_user, small_threshold, sample_document,
                                                                           django_capture_on_commit_callbacks):
    from tdkt.export_jobs import export_job_run
    from tdkt.shortcuts import document_view

    request = rf.get("/hoi-dong/phien-hop/1/bien-ban/")
    request.user = office_user
    with django_capture_on_commit_callbacks(execute=False):
        response = document_view(request, sample_document, "pdf", params={"rows": "3"}, filename="danh-sach-thu",
                                 title="Danh sách thử (PDF)", back_url="/hoi-dong/")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("export_job", args=[job.pk])
    assert (job.key, job.fmt, job.rows, job.title, job.back_url, job.filename) == (
        "tests.sample", "pdf", 3, "Danh sách thử (PDF)", "/hoi-dong/", "danh-sach-thu.pdf")
    job = export_job_run(job_id=job.pk)
    assert (job.status, job.error) == ("done", "")
    with job.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    small = document_view(request, sample_document, "docx", params={"rows": "1"}, filename="mot-dong", title="x")
    assert small["Content-Disposition"] == 'attachment; filename="mot-dong.docx"' and ExportJob.objects.count() == 1


def test_the_job_page_says_what_is_made_and_links_back(client, office_user, small_threshold):
    job = ExportJob.objects.create(user=office_user, key="councils.minutes", fmt="pdf", rows=40, title="Biên bản họp: Phiên 1",
                                   back_url="/hoi-dong/phien-hop/1/ket-qua/")
    client.force_login(office_user)
    page = client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert "<h1>Biên bản họp: Phiên 1</h1>" in page and "Đang tạo: Biên bản họp: Phiên 1 (40 dòng)." in page
    assert 'href="/hoi-dong/phien-hop/1/ket-qua/">← Quay lại trang trước</a>' in page
    assert f'<a href="{reverse("my_files")}">Tệp của tôi</a>' in page


def test_my_files_lists_only_my_own_files_newest_first_paginated(client, office_user, head_a, settings, django_assert_max_num_queries):
    settings.TDKT_PAGE_SIZE = 2
    mine = [ExportJob.objects.create(user=office_user, key="nominations.list", fmt="xlsx", rows=n, title=f"Danh sách {n}",
                                     status=ExportJob.Status.DONE if n == 3 else ExportJob.Status.PENDING, filename=f"ds-{n}.xlsx")
            for n in (1, 2, 3)]
    theirs = ExportJob.objects.create(user=head_a, key="nominations.list", fmt="xlsx", rows=9, title="Của đơn vị khác",
                                      status=ExportJob.Status.DONE, filename="khac.xlsx")
    client.force_login(office_user)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("my_files")).content.decode()
    assert page.index("Danh sách 3") < page.index("Danh sách 2") and "Danh sách 1" not in page  # page 1 of 2
    assert reverse("export_job_download", args=[mine[2].pk]) in page and reverse("export_job", args=[mine[1].pk]) in page
    assert "Của đơn vị khác" not in page and str(theirs.pk) not in page
    assert "Danh sách 1" in client.get(reverse("my_files"), {"page": 2}).content.decode()
    assert f'href="{reverse("my_files")}"' in page  # the header's user menu links to it
    client.force_login(head_a)
    page = client.get(reverse("my_files")).content.decode()
    assert "Của đơn vị khác" in page and "Danh sách 3" not in page
    assert client.get(reverse("export_job_download", args=[mine[2].pk])).status_code == 404


def test_my_files_empty_state(client, office_user):
    client.force_login(office_user)
    assert "Bạn chưa yêu cầu tệp nào được tạo ở chế độ nền." in client.get(reverse("my_files")).content.decode()
