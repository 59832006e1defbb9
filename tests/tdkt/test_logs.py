"""One log line per request and per task, with a request id (also in the response header and on the 500 page),
the user's id (never a name), no query values; text or JSON lines on stdout."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.tasks import task
from django.test import Client

from tdkt import logs
from tests.factories import UserFactory

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def _request_records(caplog):
    return [r for r in caplog.records if r.name == "tdkt.request"]


@pytest.mark.django_db
def test_one_line_per_request_with_id_user_id_status_and_no_query_values(client, caplog):
    user = UserFactory(role="office", username="vanphong", full_name="Nguyễn Thị Hằng")
    client.force_login(user)
    caplog.set_level(logging.INFO, logger="tdkt.request")
    response = client.get("/ca-nhan/", {"q": "Nguyễn Văn An", "page": "1"})

    [record] = _request_records(caplog)
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32 and int(request_id, 16) >= 0
    assert record.request_id == request_id
    fields = dict(record.fields)
    assert fields.pop("duration_ms") >= 0
    assert fields == {"event": "request", "method": "GET", "path": "/ca-nhan/", "query_keys": ["page", "q"], "status": 200,
                      "user_id": user.pk}
    line = logs.JsonFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line)["request_id"] == request_id
    for private in ("Nguyễn", "Văn An", "vanphong", "Hằng"):
        assert private not in line
        assert private not in logs.TextFormatter().format(record)


@pytest.mark.django_db
def test_anonymous_requests_have_no_user_id_and_a_sane_incoming_id_is_kept(client, caplog):
    caplog.set_level(logging.INFO, logger="tdkt.request")
    response = client.get("/dang-nhap/", HTTP_X_REQUEST_ID="0f8e2a6c5b4d49a1b2c3d4e5f6a7b8c9")
    assert response["X-Request-ID"] == "0f8e2a6c5b4d49a1b2c3d4e5f6a7b8c9"
    [record] = _request_records(caplog)
    assert (record.request_id, record.fields["user_id"], record.fields["status"]) == ("0f8e2a6c5b4d49a1b2c3d4e5f6a7b8c9", None, 200)


@pytest.mark.parametrize("incoming", ["short", "x" * 129, "abc def ghi jkl", "abcdefgh\nFAKE LINE", "<script>alert(1)</script>", ""])
def test_an_insane_incoming_id_is_replaced(incoming):
    assert logs.incoming_request_id(incoming) is None


def test_sane_incoming_ids():
    for value in ("0f8e2a6c5b4d49a1b2c3d4e5f6a7b8c9", "6f1c1d4e-8a7b-4c3d-9e2f-1a2b3c4d5e6f", "lb-1.req:42_abc"):
        assert logs.incoming_request_id(value) == value


@pytest.mark.django_db
def test_a_server_error_logs_the_request_id_shown_on_the_500_page(settings, caplog):
    settings.ROOT_URLCONF = "tests.error_urls"
    settings.DEBUG = False
    caplog.set_level(logging.INFO)
    response = Client(raise_request_exception=False).get("/__test__/loi/")
    request_id = response["X-Request-ID"]
    assert response.status_code == 500
    page = response.content.decode()
    assert f'<code class="request-id">{request_id}</code>' in page
    assert "Mã lỗi (gửi kèm khi báo cho quản trị hệ thống):" in page
    [error] = [r for r in caplog.records if r.name == "django.request"]
    [line] = _request_records(caplog)
    assert (error.levelname, line.levelname, line.fields["status"]) == ("ERROR", "ERROR", 500)
    assert logs.RequestIdFilter().filter(error) and error.request_id == request_id == line.request_id
    assert "DeliberateError: deliberate failure" in logs.JsonFormatter().format(error)


@task
def sample_task(value):
    logging.getLogger("tests.sample").info("working on %s", value)
    return value * 2


@task
def failing_task():
    raise ValueError("nope")


@pytest.mark.django_db
def test_one_line_per_task_with_its_id_linked_to_the_request_that_queued_it(settings, caplog):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    caplog.set_level(logging.DEBUG)
    token = logs._request_id.set("feedc0ffee0000000000000000000001")
    try:
        result = sample_task.enqueue(21)
        failed = failing_task.enqueue()
    finally:
        logs._request_id.reset(token)
    queued = [r for r in caplog.records if r.name == "tdkt.task" and r.fields["event"] == "task_queued"]
    assert [(r.levelname, r.request_id, r.fields["task_id"]) for r in queued] == [
        ("INFO", "feedc0ffee0000000000000000000001", str(result.id)), ("INFO", "feedc0ffee0000000000000000000001", str(failed.id))]
    [inside] = [r for r in caplog.records if r.name == "tests.sample"]
    assert logs.RequestIdFilter().filter(inside) and inside.request_id == str(result.id)  # logs inside the task carry its id
    lines = [r for r in caplog.records if r.name == "tdkt.task" and r.fields["event"] == "task"]
    assert [(r.levelname, r.request_id, r.fields["task"], r.fields["status"]) for r in lines] == [
        ("INFO", str(result.id), "tests.tdkt.test_logs.sample_task", "SUCCESSFUL"),
        ("ERROR", str(failed.id), "tests.tdkt.test_logs.failing_task", "FAILED")]
    assert all(r.fields["duration_ms"] >= 0 for r in lines)
    assert logs.current_request_id() is None  # nothing leaks to what runs next


def test_json_lines_on_stdout_when_configured(tmp_path):
    """The real logging configuration, in a fresh process: JSON on stdout with TDKT_LOG_FORMAT=json, text otherwise."""
    script = ("import django, logging; django.setup(); "
              "logging.getLogger('tdkt.request').info('hello %s', 'world', extra={'fields': {'status': 200}})")
    outputs = {}
    for fmt in ("json", "text"):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tdkt.settings", "TDKT_LOG_FORMAT": fmt,
               "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
        result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert (result.returncode, result.stderr) == (0, "")
        outputs[fmt] = result.stdout
    data = json.loads(outputs["json"])
    assert {k: data[k] for k in ("level", "logger", "message", "request_id", "status")} == {
        "level": "INFO", "logger": "tdkt.request", "message": "hello world", "request_id": "-", "status": 200}
    assert outputs["text"].endswith(" INFO tdkt.request [-] hello world\n")


def test_an_unknown_log_format_is_refused(tmp_path):
    env = {**os.environ, "TDKT_LOG_FORMAT": "xml", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "TDKT_LOG_FORMAT must be 'text' or 'json', not 'xml'" in result.stderr
