"""The demo agency's signature and seal (issue 12, ``movements/demo_images.py``): PNGs with transparency that the
agency profile accepts, blue and red, the seal at its real size; ``seed_demo`` puts them on the profile."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from movements import demo_images
from tdkt.uploads import validate_transparent_png


def _inked(png):
    with Image.open(io.BytesIO(png)) as image:
        pixels = [p for p in image.convert("RGBA").get_flattened_data() if p[3] > 200]
        return image.size, image.info["dpi"][0], pixels


def test_the_signature_is_blue_on_transparent():
    png = demo_images.signature_png()
    validate_transparent_png(ContentFile(png, "chu-ky.png"))
    size, _dpi, pixels = _inked(png)
    assert size == (600, 240) and 500 < len(pixels) < 600 * 240 // 4
    assert all(b > r and b > g for r, g, b, _a in pixels)


def test_the_seal_is_red_on_transparent_at_its_real_size():
    png = demo_images.seal_png()
    validate_transparent_png(ContentFile(png, "con-dau.png"))
    size, dpi, pixels = _inked(png)
    assert size == (500, 500) and round(500 / dpi * 25.4) == 36
    assert len(pixels) > 5000 and all(r > g and r > b for r, g, b, _a in pixels)


@pytest.mark.integration
def test_seed_demo_gives_the_profile_both_images(db, settings, tmp_path):
    from movements.demo import seed_demo  # the whole demo department: only this test seeds it
    from movements.models import AgencyProfile

    settings.MEDIA_ROOT = str(tmp_path)
    seed_demo()
    profile = AgencyProfile.objects.get()
    assert profile.signature_image.name.endswith(".png") and profile.seal_image.name.endswith(".png")
    with profile.seal_image.open("rb") as handle:
        validate_transparent_png(ContentFile(handle.read(), "con-dau.png"))
    first = profile.seal_image.name
    seed_demo()  # again: nothing replaced
    assert AgencyProfile.objects.get().seal_image.name == first
