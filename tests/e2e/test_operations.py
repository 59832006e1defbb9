"""Operations in the browser: the 500 page shows the request id that the log line of the failed request carries."""

import json
import logging

import pytest
from playwright.sync_api import expect

from tdkt.logs import JsonFormatter

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_500_page_shows_the_request_id_of_the_log_line(page, live_server, settings, caplog):
    settings.ROOT_URLCONF = "tests.error_urls"  # the project's URLs plus one that fails (tests only)
    caplog.set_level(logging.INFO, logger="tdkt.request")
    response = page.goto(f"{live_server.url}/__test__/loi/")
    assert response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text("Lỗi hệ thống (500)")
    expect(page.get_by_text("Mã lỗi (gửi kèm khi báo cho quản trị hệ thống):")).to_be_visible()
    shown = page.locator("code.request-id").inner_text()

    [line] = [json.loads(JsonFormatter().format(record)) for record in caplog.records
              if record.name == "tdkt.request" and record.fields.get("path") == "/__test__/loi/"]
    assert (line["request_id"], line["status"], line["level"], line["method"]) == (shown, 500, "ERROR", "GET")
    assert response.headers["x-request-id"] == shown
    assert len(shown) == 32 and int(shown, 16) >= 0
