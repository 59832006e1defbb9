"""The agency profile's signature and seal images (issue 12): transparent PNGs only, replaced by an upload, audited,
shown on the profile page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from movements import services
from movements.selectors import agency_profile
from tdkt.models import AuditEvent
from tests.factories import UserFactory
from tests.factories.pki import opaque_png, seal_png, signature_png

pytestmark = pytest.mark.integration


@pytest.fixture
def admin(db):
    return UserFactory(role="admin")


@pytest.fixture
def profile(admin):
    return services.agency_profile_update(actor=admin, name="Sở Khoa học và Công nghệ", parent_name="UBND tỉnh Hưng Yên",
                                          doc_code="SKHCN", place_name="Hưng Yên", director_name="Nguyễn Văn An")


def png(data, name):
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_images_are_stored_replaced_and_audited(admin, profile, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    services.agency_profile_update(actor=admin, signature_image=png(signature_png(), "chu-ky.png"),
                                   seal_image=png(seal_png(), "con-dau.png"), seal_size_mm=35)
    profile.refresh_from_db()
    assert profile.signature_image.name.startswith("agency/") and profile.signature_image.name.endswith(".png")
    with profile.seal_image.open("rb") as stored:
        assert stored.read() == seal_png()
    assert profile.seal_size_mm == 35
    first = profile.signature_image.name
    event = AuditEvent.objects.filter(action="update").latest("id")
    assert event.changes["signature_image"] == ["", first]
    assert event.changes["seal_size_mm"] == [36, 35]
    with django_capture_on_commit_callbacks(execute=True):
        services.agency_profile_update(actor=admin, signature_image=png(signature_png(300, 120), "moi.png"))
    profile.refresh_from_db()
    assert profile.signature_image.name != first
    assert not (tmp_path / first).exists()  # the old image is removed once the change is committed


def test_an_opaque_png_is_refused_and_nothing_changes(admin, profile, settings, tmp_path):
    from django.core.exceptions import ValidationError

    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as error:
        services.agency_profile_update(actor=admin, seal_image=png(opaque_png(), "con-dau.png"), director_name="Người Khác")
    assert error.value.message_dict == {"seal_image": [
        "Ảnh “con-dau.png” không có nền trong suốt (kênh alpha). Hãy xuất lại ảnh PNG với nền trong suốt để chữ ký, "
        "con dấu không che chữ của văn bản."]}
    profile.refresh_from_db()
    assert (profile.seal_image.name, profile.director_name) == ("", "Nguyễn Văn An")
    assert list(tmp_path.rglob("*.png")) == []


def test_the_profile_page_uploads_and_shows_the_images(client, admin, profile, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin)
    page = client.get("/co-quan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and html.count("Chưa có ảnh") == 2
    from movements.forms import AgencyProfileForm

    # Every field of the form as it stands (other parts add their own), the images left out.
    data = {name: value for name, value in AgencyProfileForm(instance=profile).initial.items()
            if name not in ("signature_image", "seal_image", "id", "singleton") and value is not None}
    data = {name: ("on" if value else "") if isinstance(value, bool) else value for name, value in data.items()}
    refused = client.post("/co-quan/", {**data, "signature_image": png(opaque_png(), "chu-ky.png")})
    assert refused.status_code == 200
    assert "không có nền trong suốt" in refused.content.decode()
    assert agency_profile().signature_image.name == ""
    done = client.post("/co-quan/", {**data, "signature_image": png(signature_png(), "chu-ky.png"),
                                     "seal_image": png(seal_png(), "con-dau.png")})
    assert done.status_code == 302
    html = client.get("/co-quan/").content.decode()
    assert html.count('src="data:image/png;base64,') == 2 and "Chưa có ảnh" not in html
    # Saving the form again without new files keeps the images.
    assert client.post("/co-quan/", data).status_code == 302
    assert agency_profile().seal_image.name != ""


def test_only_the_administrator_edits_the_images(client, db, profile):
    client.force_login(UserFactory(role="office"))
    assert client.get("/co-quan/").status_code == 403
