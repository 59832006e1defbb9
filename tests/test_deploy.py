"""The deployment files (deploy/): checked by the real tools where installed, consistent with each other and with the
settings, and the environment file lists every variable the settings read."""

import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def load_check():
    spec = importlib.util.spec_from_file_location("deploy_check", DEPLOY / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = load_check()


def env_example():
    """``{name: value}`` of deploy/tdkt.env.example, commented defaults included."""
    found = {}
    for line in (DEPLOY / "tdkt.env.example").read_text().splitlines():
        match = re.match(r"#? ?([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def settings_env_reads(source=None):
    """Every environment variable tdkt/settings.py reads: ``env(...)``, ``env.<type>(...)``, ``os.environ…``, ``os.getenv``."""
    names = set()
    for node in ast.walk(ast.parse(source or (ROOT / "tdkt" / "settings.py").read_text())):
        if isinstance(node, ast.Subscript) and "environ" in ast.unparse(node.value) and isinstance(node.slice, ast.Constant):
            names.add(node.slice.value)  # os.environ["X"]
        if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
            continue
        func = node.func
        reader = ((isinstance(func, ast.Name) and func.id == "env")
                  or (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env")
                  or (isinstance(func, ast.Attribute) and func.attr == "getenv")
                  or (isinstance(func, ast.Attribute) and func.attr == "get" and "environ" in ast.unparse(func.value)))
        if reader and isinstance(node.args[0].value, str):
            names.add(node.args[0].value)
    return names


def test_every_variable_the_settings_read_is_in_the_environment_file():
    read = settings_env_reads()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "TDKT_LOG_FORMAT", "TDKT_WORKER_STALE_SECONDS"} <= read  # the parser finds them
    assert sorted(read - set(env_example())) == []
    assert sorted(set(env_example()) - read) == []  # and nothing stale


def test_the_parser_finds_every_kind_of_read():
    source = ('X = env.bool("A", default=1)\nY = env("B")\nZ = env.str(\n    "C",\n)\nimport os\nW = os.environ.get("D")\n'
              'V = os.getenv("E")\nS = os.environ["G"]\nU = print("not a read")\nT = {"F": 1}.get("F")\n')
    assert settings_env_reads(source) == {"A", "B", "C", "D", "E", "G"}


def _size(text):
    number, unit = re.fullmatch(r"(\d+)([kKmM]?)", text).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit.lower()]


def test_nginx_lets_the_largest_upload_through_and_no_more_than_a_little_above():
    site = (DEPLOY / "nginx" / "tdkt.conf").read_text()
    [limit] = re.findall(r"^\s*client_max_body_size (\S+);", site, re.M)
    assert settings.TDKT_UPLOAD_MAX_BYTES < _size(limit) <= settings.TDKT_UPLOAD_MAX_BYTES + 2 * 1024 * 1024


def test_the_files_agree_with_each_other():
    site = (DEPLOY / "nginx" / "tdkt.conf").read_text()
    env = env_example()
    assert re.search(rf"location {re.escape(env['TDKT_ACCEL_REDIRECT_PREFIX'])} {{\s*internal;\s*alias {re.escape(env['DJANGO_MEDIA_ROOT'])}/;", site)
    assert f"alias {env['DJANGO_STATIC_ROOT']}/;" in site
    assert site.count("alias ") == 2  # the media folder is served nowhere but the internal location
    assert "proxy_set_header X-Request-ID $request_id;" in site
    web, worker, backup = (
        (DEPLOY / "systemd" / name).read_text() for name in ("tdkt-web.service", "tdkt-worker.service", "tdkt-backup.service"))
    assert "server 127.0.0.1:8000" in site and "--bind 127.0.0.1:8000" in web
    assert "manage.py db_worker --max-tasks 50 --no-reload" in worker and "Restart=always" in worker
    assert f"manage.py backup --output {env['TDKT_BACKUP_DIR']}/" in backup
    assert "OnCalendar=*-*-* 02:30:00" in (DEPLOY / "systemd" / "tdkt-backup.timer").read_text()
    for unit in (web, worker, backup):
        assert "EnvironmentFile=/etc/tdkt/tdkt.env" in unit and "User=tdkt" in unit
        assert os.path.dirname(env["DJANGO_MEDIA_ROOT"]) in unit  # the data folder is writable (ReadWritePaths)


def test_the_environment_file_gives_a_clean_production_check(tmp_path):
    env = {**os.environ, **{key: value for key, value in env_example().items()}}
    for key in ("DJANGO_SETTINGS_MODULE",):
        env.pop(key, None)
    env.update({"DJANGO_SECRET_KEY": "k" * 20 + "9f$2#Lq!8vZ@x7Tn3&mWp5Rb0Yd6Hs4Jc1Ug-Ea",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
                "DJANGO_MEDIA_ROOT": str(tmp_path / "media")})
    probe = ("import django, json; django.setup(); from django.conf import settings as s; "
             "print(json.dumps([s.SECURE_REDIRECT_EXEMPT, s.TDKT_ACCEL_REDIRECT_PREFIX, s.LOGGING['handlers']['console']['formatter'], "
             "s.LOGGING['handlers']['console']['stream'], s.DEBUG]))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "tdkt.settings"},
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == '[["^healthz$"], "/_protected/", "json", "ext://sys.stdout", false]', result.stderr
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


needs_nginx = pytest.mark.skipif(not (check.NGINX and check.OPENSSL), reason="nginx or openssl not installed (apt-get install nginx)")
needs_systemd = pytest.mark.skipif(not check.SYSTEMD_ANALYZE, reason="systemd-analyze not installed")


@needs_nginx
def test_nginx_accepts_the_site(tmp_path):
    ok, output = check.check_nginx(tmp_path)
    assert ok, output


@needs_systemd
def test_systemd_accepts_the_units(tmp_path):
    ok, output = check.check_systemd(tmp_path)
    assert ok, output


@pytest.fixture
def broken_copy(tmp_path, monkeypatch):
    """deploy/ copied, for the checks to be run against a broken file (a check that finds nothing would pass)."""
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy)
    monkeypatch.setattr(check, "DEPLOY", copy)
    work = tmp_path / "work"
    work.mkdir()
    return copy, work


@needs_nginx
def test_the_nginx_check_fails_on_a_broken_site(broken_copy):
    copy, work = broken_copy
    site = copy / "nginx" / "tdkt.conf"
    site.write_text(site.read_text().replace("client_max_body_size 11m;", "client_max_body_size eleven;"))
    ok, output = check.check_nginx(work)
    assert not ok and '"client_max_body_size" directive invalid value' in output


@needs_systemd
def test_the_systemd_check_fails_on_a_missing_program_or_unknown_key(broken_copy):
    copy, work = broken_copy
    unit = copy / "systemd" / "tdkt-worker.service"
    unit.write_text(unit.read_text().replace(".venv/bin/python manage.py", ".venv/bin/pythonX manage.py").replace(
        "Type=exec", "Type=exec\nRestartSecs=5"))
    ok, output = check.check_systemd(work)
    assert not ok
    assert "Unknown key 'RestartSecs' in section [Service]" in output
    assert ".venv/bin/pythonX is not executable" in output
