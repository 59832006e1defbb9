"""Bench (not a test): the nomination list under load, next to the Django admin changelist of the same rows.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt_bench .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py            # a throw-away SQLite database in a temp dir

Starts gunicorn (2 sync workers, DEBUG off, static files collected and served by WhiteNoise) on a free port of
127.0.0.1 against the bench database (filled with 10,000 nominations when empty: ``nominations_data.build``), logs in
by writing a session for the office user straight into the database, then runs 50 client threads (``http.client``,
loopback only, one connection per request, 30 s timeout) for 20 s on each page: the nomination list (first page) and
the admin changelist, alternating in rounds of 5 s, each round starting after the previous one's requests came back.
Prints pages/s, p50/p95 and errors of each and ``ratio load list/admin``. gunicorn is stopped on exit, Ctrl+C
included.
"""

import atexit
import http.client
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
TMP = tempfile.mkdtemp(prefix="tdkt-load-")  # the collected static files (and the SQLite database), removed at the end
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
URL = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{TMP}/bench.sqlite3"
CLIENTS, SECONDS_PER_SIDE, ROUND_SECONDS, WARM_SECONDS, TIMEOUT = 50, 20, 5, 2, 30
PAGES = {"list": "/de-nghi/", "admin": "/quan-tri/nominations/nomination/"}
SERVER_ENV = {
    "DATABASE_URL": URL,
    "DJANGO_SETTINGS_MODULE": "tdkt.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP on the loopback; the cookie is sent by hand
    "DJANGO_STATIC_ROOT": f"{TMP}/static",
    "DJANGO_LOG_LEVEL": "WARNING",
}
os.environ.update(SERVER_ENV)

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from nominations_data import OFFICE, build  # noqa: E402  (bench/, first on the path of this script)

from nominations.models import Nomination  # noqa: E402
from tdkt.models import User  # noqa: E402


def manage(*args):
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], check=True, env={**os.environ, **SERVER_ENV})


def session_cookie():
    """A session of the office user, written in the database as a login would write it."""
    user = User.objects.get(username=OFFICE)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, cookie):
    """``(status, seconds)`` of one GET on a new connection; status 0 when the request failed."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Connection": "close"})
        response = conn.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        conn.close()
    return status, time.perf_counter() - start


def wait_until_up(server, port, cookie):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (code {server.returncode})")
        status, _seconds = get(port, PAGES["list"], cookie)
        if status == 200:
            return
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s")


def run_round(port, path, cookie, seconds):
    """``CLIENTS`` threads on ``path`` for ``seconds``: the latencies of the requests done in time, and the errors
    (non-200 or failed). Returns after every thread's last request came back."""
    end = time.monotonic() + seconds
    latencies, errors, lock = [], [0], threading.Lock()

    def client():
        while time.monotonic() < end:
            status, took = get(port, path, cookie)
            with lock:
                if status != 200:
                    errors[0] += 1
                elif time.monotonic() <= end:
                    latencies.append(took)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + TIMEOUT + 5)
    return latencies, errors[0]


def percentile(values, q):
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else (values[0] if values else float("nan"))


def main():
    # Ctrl+C (even when started in the background, where SIGINT comes ignored) and SIGTERM end the run through the
    # ``finally`` that stops gunicorn
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop)
    manage("migrate", "-v0")
    build("default", 1)
    manage("collectstatic", "--noinput", "-v0")
    rows = Nomination.objects.count()
    cookie = session_cookie()
    port = free_port()
    print(f"Cơ sở dữ liệu: {connection.vendor}; {rows:,} đề nghị; gunicorn 2 worker trên 127.0.0.1:{port}".replace(",", "."))
    server = None
    try:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "tdkt.wsgi:application", "--workers", "2", "--bind",
                                   f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning"],
                                  cwd=BASE_DIR, env={**os.environ, **SERVER_ENV}, start_new_session=True)
        wait_until_up(server, port, cookie)
        for path in PAGES.values():
            run_round(port, path, cookie, WARM_SECONDS)  # both workers warm on both pages
        results = {side: ([], 0) for side in PAGES}
        for _ in range(SECONDS_PER_SIDE // ROUND_SECONDS):
            for side, path in PAGES.items():
                latencies, errors = run_round(port, path, cookie, ROUND_SECONDS)
                results[side] = (results[side][0] + latencies, results[side][1] + errors)
        print(f"{CLIENTS} client, {SECONDS_PER_SIDE} s mỗi trang (xen kẽ từng {ROUND_SECONDS} s):")
        rates = {}
        for side, (latencies, errors) in results.items():
            rates[side] = len(latencies) / SECONDS_PER_SIDE
            print(f"   {PAGES[side]:36} {rates[side]:7.1f} trang/s, p50 {percentile(latencies, 50) * 1000:7.0f} ms, "
                  f"p95 {percentile(latencies, 95) * 1000:7.0f} ms, lỗi {errors}")
        errors = sum(e for _l, e in results.values())
        ratio = rates["list"] / rates["admin"] if rates["admin"] else float("inf")
        print(f"ratio load list/admin = {ratio:.2f} (target ≥ 1, errors 0; errors: {errors})")
    finally:
        stop_server(server)


def stop(*_args):
    raise SystemExit(1)


def stop_server(server):
    """gunicorn's master stops its workers on SIGTERM; the whole group is killed if it has not within 10 s."""
    if server is not None and server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("Đã dừng (gunicorn đã tắt).", file=sys.stderr)
        sys.exit(130)
