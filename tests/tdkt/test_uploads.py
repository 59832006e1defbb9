"""Permission-checked downloads handed to nginx (``X-Accel-Redirect``) when ``TDKT_ACCEL_REDIRECT_PREFIX`` is set."""

import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from django.urls import reverse

from tdkt.models import ExportJob
from tdkt.uploads import accel_redirect_path
from tests.factories import UserFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def job(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = UserFactory(role="office")
    job = ExportJob.objects.create(user=owner, key="movements.people", fmt="xlsx", status=ExportJob.Status.DONE,
                                   filename="Danh sách cá nhân.xlsx")
    job.file.save(f"{job.pk}.xlsx", ContentFile(b"PK\x03\x04 the workbook"))
    return job


def test_behind_nginx_the_view_answers_an_empty_response_naming_the_file(client, job, settings):
    settings.TDKT_ACCEL_REDIRECT_PREFIX = "/_protected/"
    client.force_login(job.user)
    response = client.get(reverse("export_job_download", args=[job.pk]))
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/_protected/exports/{job.pk}.xlsx"
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Danh%20s%C3%A1ch%20c%C3%A1%20nh%C3%A2n.xlsx"
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}


def test_the_permission_check_still_comes_first(client, job, settings):
    settings.TDKT_ACCEL_REDIRECT_PREFIX = "/_protected/"
    client.force_login(UserFactory(role="office"))
    response = client.get(reverse("export_job_download", args=[job.pk]))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_a_missing_file_answers_404_either_way(client, job, settings):
    job.file.storage.delete(job.file.name)
    client.force_login(job.user)
    for prefix in ("/_protected/", ""):
        settings.TDKT_ACCEL_REDIRECT_PREFIX = prefix
        response = client.get(reverse("export_job_download", args=[job.pk]))
        assert (response.status_code, "X-Accel-Redirect" in response) == (404, False)


def test_without_the_setting_django_streams_the_file(client, job, settings):
    settings.TDKT_ACCEL_REDIRECT_PREFIX = ""
    client.force_login(job.user)
    response = client.get(reverse("export_job_download", args=[job.pk]))
    assert b"".join(response.streaming_content) == b"PK\x03\x04 the workbook"
    assert "X-Accel-Redirect" not in response


def test_the_redirect_path_is_encoded_and_never_climbs_out():
    assert accel_redirect_path("/_protected/", "campaigns/1/ab cd.pdf") == "/_protected/campaigns/1/ab%20cd.pdf"
    assert accel_redirect_path("_protected", "x/ä?#.pdf") == "/_protected/x/%C3%A4%3F%23.pdf"
    for name in ("../etc/passwd", "a/../../b", "/etc/passwd", "a//b", "./a"):
        with pytest.raises(Http404):
            accel_redirect_path("/_protected/", name)
