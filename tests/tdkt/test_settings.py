import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import formats, translation

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.unit


def test_locale_and_time_zone():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    import datetime

    with translation.override("vi"):
        assert formats.date_format(datetime.date(2026, 1, 5), "SHORT_DATE_FORMAT") == "05/01/2026"


def test_check_deploy_is_clean_with_production_values(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "k" * 20 + "9f$2#Lq!8vZ@x7Tn3&mWp5Rb0Yd6Hs4Jc1Ug-Ea",
        "DJANGO_ALLOWED_HOSTS": "tdkt.example.gov.vn",
        "EMAIL_URL": "smtp+tls://tdkt:secret@mail.example.gov.vn:587",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update({"DJANGO_DEBUG": "false", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


# polish (issue 13): `make run` shows the product's own error pages.
MAKE_RUN_PROBE = """
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
page = client.get("/khong-co-trang-nay/")
css = client.get("/static/css/app.css")
print(settings.DEBUG, settings.DEVELOPMENT, settings.SESSION_COOKIE_SECURE, page.status_code,
      "Không tìm thấy trang (404)" in page.content.decode(), "Technical" in page.content.decode(), css.status_code)
"""


def test_make_run_serves_the_products_own_404_page(tmp_path):
    runserver = next(line for line in (ROOT / "Makefile").read_text().splitlines() if "manage.py runserver" in line)
    assert runserver.strip().startswith("DJANGO_DEBUG_PAGES=false ")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG")}
    env.update({"DJANGO_DEBUG_PAGES": "false", "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}"})
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", MAKE_RUN_PROBE], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    # DEBUG off (our 404 page, no technical page) on a developer machine (plain-HTTP cookies, static files served)
    assert result.stdout.split()[-7:] == ["False", "True", "False", "404", "True", "False", "200"]
