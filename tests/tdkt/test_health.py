"""/healthz: ok only when the database answers and the worker's heartbeat is fresh (fixed clock); no login, no details."""

import datetime

import pytest
from django.db import OperationalError
from django.utils import timezone

from tdkt import health, periodic
from tdkt.models import WorkerHeartbeat

pytestmark = pytest.mark.integration

NOW = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock(monkeypatch):
    """A fixed clock for the view (``timezone.now`` as the health check reads it)."""
    moment = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])
    return moment


@pytest.mark.django_db
def test_fresh_heartbeat_answers_ok_and_stale_answers_not_ok(client, clock, settings, caplog):
    settings.TDKT_WORKER_STALE_SECONDS = 300
    periodic.beat(now=NOW - datetime.timedelta(seconds=300))
    response = client.get("/healthz")
    assert (response.status_code, response.content, response["Content-Type"]) == (200, b"ok", "text/plain; charset=utf-8")
    assert "no-cache" in response["Cache-Control"]

    clock["now"] = NOW + datetime.timedelta(seconds=1)  # 301 s since the last beat
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (503, b"not ok")
    assert "health check failed: worker" in caplog.text


@pytest.mark.django_db
def test_no_heartbeat_yet_is_not_ok(client, clock):
    WorkerHeartbeat.objects.all().delete()
    assert (client.get("/healthz").status_code, health.failures(now=NOW)) == (503, ["worker"])
    periodic.beat(now=NOW)
    assert health.failures(now=NOW) == []


@pytest.mark.django_db
def test_the_staleness_is_a_setting(settings):
    periodic.beat(now=NOW)
    settings.TDKT_WORKER_STALE_SECONDS = 60
    assert health.worker_ok(now=NOW + datetime.timedelta(seconds=60)) is True
    assert health.worker_ok(now=NOW + datetime.timedelta(seconds=61)) is False


class FailingCursor:
    def __enter__(self):
        raise OperationalError("could not connect to server: Connection refused")

    def __exit__(self, *exc):
        return False


def test_a_database_that_does_not_answer_is_not_ok(monkeypatch):
    monkeypatch.setattr(health.connection, "cursor", FailingCursor)
    assert health.database_ok() is False
    assert health.failures(now=NOW) == ["database"]


@pytest.mark.django_db
def test_the_view_says_not_ok_without_details_when_the_database_fails(client, monkeypatch):
    monkeypatch.setattr(health.connection, "cursor", FailingCursor)
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (503, b"not ok")


@pytest.mark.django_db
def test_healthz_needs_no_login_and_refuses_writes(client, settings):
    settings.AXES_ENABLED = True
    periodic.beat()
    assert client.get("/healthz").status_code == 200
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_is_answered_over_plain_http_in_production(client, settings):
    """A load balancer probes over HTTP: no redirect to HTTPS for /healthz (the other pages are redirected)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    periodic.beat()
    assert client.get("/healthz").status_code == 200
    assert client.get("/dang-nhap/").status_code == 301
