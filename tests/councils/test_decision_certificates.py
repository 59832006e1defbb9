"""The giấy khen of an issued decision's lines (councils/views/decisions.py, part: docs of issue 11): a page per line,
from the award records the issue created; the office only."""

import subprocess

import pytest
from django.urls import reverse

from tests.factories import UnitUserFactory
from tests.factories.councils import vetted
from tests.factories.decisions import issued_decision
from tests.pdfcheck import page_texts

pytestmark = pytest.mark.integration


def test_an_issued_decision_prints_a_giay_khen_per_line(client, office, unit_a, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    nominations = vetted(2, unit=unit_a)
    decision = issued_decision(office=office, nominations=nominations)
    url = reverse("councils:decision_certificates", args=[decision.pk])
    client.force_login(office)
    response = client.get(url, {"khung": "1"})
    assert response["Content-Disposition"] == f'attachment; filename="giay-khen-quyet-dinh-{decision.pk}.pdf"'
    path = tmp_path / "gk.pdf"
    path.write_bytes(response.content)
    pages = page_texts(path)
    assert len(pages) == 2
    for page, nomination in zip(pages, nominations, strict=True):
        flat = " ".join(page.split())
        assert nomination.person.full_name in flat and f"Quyết định số {decision.number} ngày 05/01/2026" in flat
        assert "GIẤY KHEN" in flat and "Hưng Yên, ngày 05 tháng 01 năm 2026" in flat
    fields_only = tmp_path / "phoi.pdf"
    fields_only.write_bytes(client.get(url, {"khung": "0"}).content)
    text = subprocess.run(["pdftotext", str(fields_only), "-"], capture_output=True, text=True, check=True).stdout
    assert "GIẤY KHEN" not in text and nominations[0].person.full_name in text
    page = client.get(reverse("councils:decision_detail", args=[decision.pk])).content.decode()
    assert f"{url}?khung=1" in page and f"{url}?khung=0" in page
    client.force_login(UnitUserFactory(unit=unit_a, password=None))
    assert client.get(url).status_code in (403, 404)
