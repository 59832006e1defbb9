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


# ---------------------------------------------------------------- signature and seal images (issue 12)

def _png_upload(data, name="anh.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/png")


def test_a_transparent_png_is_accepted():
    from tdkt.uploads import validate_transparent_png
    from tests.factories.pki import seal_png, signature_png

    assert validate_transparent_png(_png_upload(signature_png())) == ".png"
    assert validate_transparent_png(_png_upload(seal_png())) == ".png"


@pytest.mark.parametrize(("make", "name", "message"), [
    ("opaque", "chu-ky.png", "Ảnh “chu-ky.png” không có nền trong suốt (kênh alpha). Hãy xuất lại ảnh PNG với nền trong "
                             "suốt để chữ ký, con dấu không che chữ của văn bản."),
    ("alpha_all_opaque", "chu-ky.png", "Ảnh “chu-ky.png” không có nền trong suốt (kênh alpha). Hãy xuất lại ảnh PNG với "
                                       "nền trong suốt để chữ ký, con dấu không che chữ của văn bản."),
    ("jpeg", "chu-ky.jpg", "Tệp “chu-ky.jpg” không phải ảnh PNG. Ảnh chữ ký và con dấu phải là PNG nền trong suốt."),
    ("jpeg", "chu-ky.png", "Tệp “chu-ky.png” không phải ảnh PNG. Ảnh chữ ký và con dấu phải là PNG nền trong suốt."),
    ("broken", "chu-ky.png", "Ảnh “chu-ky.png” bị hỏng, không đọc được."),
])
def test_a_png_without_transparency_or_not_a_png_is_refused(make, name, message):
    import io

    from django.core.exceptions import ValidationError
    from PIL import Image

    from tdkt.uploads import validate_transparent_png
    from tests.factories.pki import opaque_png

    out = io.BytesIO()
    if make == "jpeg":
        Image.new("RGB", (40, 20), (0, 0, 255)).save(out, format="JPEG")
        data = out.getvalue()
    elif make == "alpha_all_opaque":
        Image.new("RGBA", (40, 20), (0, 0, 255, 255)).save(out, format="PNG")
        data = out.getvalue()
    elif make == "broken":
        data = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    else:
        data = opaque_png()
    with pytest.raises(ValidationError) as error:
        validate_transparent_png(_png_upload(data, name))
    assert error.value.messages == [message]


def test_a_large_image_is_refused():
    from django.core.exceptions import ValidationError

    from tdkt.uploads import validate_transparent_png
    from tests.factories.pki import seal_png

    with pytest.raises(ValidationError, match="quá lớn"):
        validate_transparent_png(_png_upload(seal_png()), max_bytes=100)
