"""Browser journeys: Playwright (sync) driving Debian's Chromium against pytest-django's live_server.

Run separately from the rest with DJANGO_ALLOW_ASYNC_UNSAFE=true (see Makefile `test`).
Screenshots of failures land in test-results/ (pytest-playwright --screenshot only-on-failure).
"""

import os
import shutil

import pytest

from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh",
            "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _e2e_settings(settings):
    settings.AXES_ENABLED = True
    settings.DEBUG = False


@pytest.fixture
def login(live_server):
    """``login(page, user)``: log in through the real form, land on the home page."""

    def _login(page, user, password=PASSWORD):
        page.goto(f"{live_server.url}/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(user.username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login
