"""A whole site holding the demo data, outside the test database: a database (SQLite file, or a PostgreSQL database
named after the one in DATABASE_URL: ``<name>_<purpose>_<random>``) and a media folder, for the backup/restore and
upgrade tests, which run ``manage.py`` in subprocesses as an operator would. Seeded once per session."""

import dataclasses
import hashlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import environ
import pytest

ROOT = Path(__file__).resolve().parent.parent

MEDIA_FILES = {
    "campaigns/1/ke-hoach-2026.pdf": b"%PDF-1.4\n% plan\n" + b"x" * 2000,
    "nominations/3/báo cáo thành tích – Trần Thị Ánh.pdf": "%PDF-1.4\n% Trần Thị Ánh\n".encode(),
    "clusters/pact.docx": b"PK\x03\x04" + bytes(range(256)) * 40,
    "exports/6f1c1d4e.xlsx": b"PK\x03\x04 export",
    "decisions/large.pdf": b"%PDF-1.4\n" + secrets.token_bytes(3 * 1024 * 1024),
}
PENDING_IMPORT = "imports/7/0f8e2a6c.xlsx"  # a stash waiting for confirmation: temporary, not backed up


@dataclasses.dataclass
class Site:
    vendor: str
    url: str
    settings_dict: dict
    media: Path
    drop: object = None

    @property
    def env(self):
        env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        return {**env, "DATABASE_URL": self.url, "DJANGO_MEDIA_ROOT": str(self.media), "DJANGO_DEBUG": "true"}

    def manage(self, *args, check=True, timeout=600):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
                                timeout=timeout)
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def python(self, code, timeout=600):
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**self.env, "DJANGO_SETTINGS_MODULE": "tdkt.settings"},
                                capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, result.stdout + result.stderr
        return result


def base_settings():
    return environ.Env.db_url_config(os.environ.get("DATABASE_URL", "sqlite:///var/tdkt.sqlite3"))


def _admin_connection(config):
    import psycopg  # imported here: only the PostgreSQL runs need it

    return psycopg.connect(dbname="postgres", user=config.get("USER") or None, password=config.get("PASSWORD") or None,
                           host=config.get("HOST") or None, port=config.get("PORT") or None, autocommit=True)


def new_site(purpose, folder, *, template=None):
    """An empty database and media folder (``template``: a PostgreSQL database or SQLite file to copy)."""
    config = base_settings()
    media = folder / f"{purpose}-media"
    if config["ENGINE"].endswith("sqlite3"):
        path = folder / f"{purpose}.sqlite3"
        if template is not None:
            path.write_bytes(Path(template.settings_dict["NAME"]).read_bytes())
        settings_dict = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
        return Site("sqlite", f"sqlite:///{path}", settings_dict, media, drop=lambda: None)
    name = f"{config['NAME']}_{purpose}_{secrets.token_hex(3)}"
    with _admin_connection(config) as admin:
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template.settings_dict["NAME"]}"' if template else ""))

    def drop():
        with _admin_connection(config) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    settings_dict = {**config, "NAME": name}
    user = f"{config['USER']}{':' + config['PASSWORD'] if config.get('PASSWORD') else ''}@" if config.get("USER") else ""
    url = f"postgres://{user}{config.get('HOST') or ''}{':' + str(config['PORT']) if config.get('PORT') else ''}/{name}"
    return Site("postgresql", url, settings_dict, media, drop=drop)


def file_digests(root, skip=()):
    """``{relative path: sha256}`` of every file under ``root``."""
    root = Path(root)
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file() and not path.relative_to(root).as_posix().startswith(skip)}


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The demo department, seeded with ``seed_demo`` on a migrated database, plus media files."""
    site = new_site("demo", tmp_path_factory.mktemp("demo-site"))
    try:
        site.python("import django; django.setup(); from django.core.management import call_command; "
                    "call_command('migrate', verbosity=0); call_command('seed_demo', verbosity=0)")
        for name, content in {**MEDIA_FILES, PENDING_IMPORT: b"PK\x03\x04 pending"}.items():
            path = site.media / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        yield site
    finally:
        site.drop()
