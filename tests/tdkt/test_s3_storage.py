"""Media in an S3-compatible object store (``TDKT_MEDIA_STORAGE=s3``, django-storages), against moto's in-process S3:
the settings, protected downloads (a redirect to a presigned URL, after the permission check), pending imports,
retention, and backup and restore through the storage API."""

import datetime
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from moto import mock_aws

from nominations import services
from nominations.management.commands.prune_imports import prune_imports
from nominations.models import Nomination
from tdkt.backup import BackupError, create_backup, database_is_empty, restore_backup
from tdkt.media import files_under, is_local, media_location
from tdkt.models import ExportJob
from tdkt.retention import prune_export_jobs
from tests.demo_site import new_site
from tests.factories import UnitUserFactory, UserFactory
from tests.factories.nominations import RoundFactory, SubmissionFactory, nomination_list_xlsx, staff

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "tdkt-media"
REGION = "ap-southeast-1"
PREFIX = "tdkt"
S3_ENV = {"TDKT_MEDIA_STORAGE": "s3", "TDKT_S3_BUCKET": BUCKET, "TDKT_S3_REGION": REGION, "TDKT_S3_ACCESS_KEY_ID": "testing",
          "TDKT_S3_SECRET_ACCESS_KEY": "testing-secret", "TDKT_S3_PREFIX": f"/{PREFIX}/"}


def settings_probe(extra_env, expression):
    """Run the settings in a fresh interpreter with ``extra_env``: (return code, printed JSON of ``expression``, stderr)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TDKT_S3_", "TDKT_MEDIA_STORAGE"))}
    env.update({"DJANGO_SETTINGS_MODULE": "tdkt.settings", **extra_env})
    result = subprocess.run([sys.executable, "-c", f"import json; from django.conf import settings as s; print(json.dumps({expression}))"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout.strip(), result.stderr


@pytest.fixture(scope="module")
def s3_options():
    """``STORAGES["default"]`` exactly as tdkt/settings.py builds it from ``S3_ENV``."""
    code, out, err = settings_probe(S3_ENV, "s.STORAGES['default']")
    assert code == 0, err
    return json.loads(out)


def test_the_settings_build_a_private_s3_storage(s3_options):
    assert s3_options == {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": BUCKET, "endpoint_url": None, "region_name": REGION, "access_key": "testing", "secret_key": "testing-secret",
        "addressing_style": "path", "signature_version": "s3v4", "location": PREFIX, "default_acl": None, "querystring_auth": True,
        "querystring_expire": 60, "file_overwrite": False, "custom_domain": None}}


def test_the_filesystem_stays_the_default():
    code, out, err = settings_probe({}, "[s.TDKT_MEDIA_STORAGE, s.STORAGES['default']]")
    assert (code, json.loads(out)) == (0, ["filesystem", {"BACKEND": "django.core.files.storage.FileSystemStorage"}]), err


@pytest.mark.parametrize(("change", "message"), [
    ({"TDKT_MEDIA_STORAGE": "nfs"}, "TDKT_MEDIA_STORAGE must be 'filesystem' or 's3', not 'nfs'"),
    ({"TDKT_S3_BUCKET": ""}, "TDKT_MEDIA_STORAGE=s3: TDKT_S3_BUCKET is required."),
    ({"TDKT_S3_SECRET_ACCESS_KEY": ""}, "TDKT_MEDIA_STORAGE=s3: TDKT_S3_ACCESS_KEY_ID and TDKT_S3_SECRET_ACCESS_KEY go together"),
    ({"TDKT_S3_BUCKET": "", "TDKT_S3_ENDPOINT_URL": "minio.local:9000"},
     "TDKT_MEDIA_STORAGE=s3: TDKT_S3_BUCKET is required; TDKT_S3_ENDPOINT_URL must start with https:// or http://."),
    ({"TDKT_S3_ADDRESSING_STYLE": "host"}, "TDKT_S3_ADDRESSING_STYLE must be 'path', 'virtual' or 'auto'."),
    ({"TDKT_S3_URL_EXPIRY_SECONDS": "0"}, "TDKT_S3_URL_EXPIRY_SECONDS must be between 1 and 3600."),
])
def test_an_incomplete_or_invalid_s3_configuration_is_refused(change, message):
    code, out, err = settings_probe({**S3_ENV, **change}, "s.TDKT_MEDIA_STORAGE")
    assert (code, out) == (1, "")
    assert "django.core.exceptions.ImproperlyConfigured: " in err and message in err


@pytest.fixture
def bucket(settings, s3_options, monkeypatch):
    """An empty bucket of moto's S3, and ``STORAGES["default"]`` pointing at it (the settings fixture's signal resets
    ``default_storage`` on the way in and out)."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        client = boto3.client("s3", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing-secret")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        settings.STORAGES = {**settings.STORAGES, "default": s3_options}
        assert not is_local() and media_location() == f"s3://{BUCKET}/{PREFIX}"
        yield client


def keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def body(client, key):
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


@pytest.fixture
def document(bucket, unit_a, unit_b):
    submission = SubmissionFactory(round=RoundFactory(year=2025), unit=unit_b)
    return services.document_add(actor=None, submission=submission, kind="memo",
                                 uploaded_file=SimpleUploadedFile("Tờ trình.pdf", b"%PDF-1.4 secret"))


def test_an_attachment_is_an_object_of_the_bucket_and_its_download_redirects_to_a_presigned_url(client, bucket, document, unit_b):
    assert keys(bucket) == [f"{PREFIX}/{document.file.name}"]
    assert body(bucket, f"{PREFIX}/{document.file.name}") == b"%PDF-1.4 secret"
    client.force_login(UnitUserFactory(unit=unit_b, username="truong_ttud"))
    response = client.get(reverse("nominations:document_download", args=[document.pk]))
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert (url.scheme, url.netloc, url.path) == ("https", f"s3.{REGION}.amazonaws.com", f"/{BUCKET}/{PREFIX}/{document.file.name}")
    query = parse_qs(url.query)
    assert (query["X-Amz-Expires"], query["X-Amz-Algorithm"]) == (["60"], ["AWS4-HMAC-SHA256"])
    assert query["response-content-disposition"] == ["attachment; filename*=utf-8''T%E1%BB%9D%20tr%C3%ACnh.pdf"]
    assert query["response-content-type"] == ["application/pdf"]
    assert set(response["Cache-Control"].replace(" ", "").split(",")) >= {"private", "no-store", "no-cache", "must-revalidate"}
    assert "X-Accel-Redirect" not in response
    fetched = requests.get(response["Location"], timeout=10)  # the presigned URL gives the file, named for the user
    assert (fetched.status_code, fetched.content) == (200, b"%PDF-1.4 secret")
    assert fetched.headers["Content-Disposition"] == "attachment; filename*=utf-8''T%E1%BB%9D%20tr%C3%ACnh.pdf"
    unsigned = requests.get(f"https://s3.{REGION}.amazonaws.com/{BUCKET}/{PREFIX}/{document.file.name}", timeout=10)
    assert unsigned.status_code == 403  # the bucket is private: no URL but a presigned one


def test_another_units_head_is_refused_before_any_url_is_made(client, document, head_a, settings):
    settings.TDKT_ACCEL_REDIRECT_PREFIX = "/_protected/"  # set or not, an object store never uses X-Accel-Redirect
    client.force_login(head_a)
    response = client.get(reverse("nominations:document_download", args=[document.pk]))
    assert (response.status_code, "Location" in response, "X-Accel-Redirect" in response) == (404, False, False)


def test_an_export_file_missing_from_the_bucket_answers_404(client, bucket, db):
    owner = UserFactory(role="office")
    job = ExportJob.objects.create(user=owner, key="movements.people", fmt="xlsx", status=ExportJob.Status.DONE, filename="Danh sách.xlsx")
    job.file.save(f"{job.pk}.xlsx", ContentFile(b"PK\x03\x04 the workbook"))
    client.force_login(owner)
    url = reverse("export_job_download", args=[job.pk])
    response = client.get(url)
    assert (response.status_code, requests.get(response["Location"], timeout=10).content) == (302, b"PK\x03\x04 the workbook")
    bucket.delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{job.file.name}")
    assert client.get(url).status_code == 404


def test_retention_deletes_the_expired_exports_in_the_bucket_and_nothing_else(bucket, db, settings):
    settings.TDKT_EXPORT_RETENTION_DAYS = 7
    now = timezone.now() + datetime.timedelta(days=10)  # the objects below were written 10 days before "now"
    user = UserFactory(role="office")
    jobs = {}
    for name, age in (("expired", 8), ("kept", 1)):
        job = ExportJob.objects.create(user=user, key="movements.people", fmt="xlsx", rows=9000, status=ExportJob.Status.DONE)
        job.file.save(f"{job.pk}.xlsx", ContentFile(b"PK\x03\x04 export"))
        ExportJob.objects.filter(pk=job.pk).update(finished_at=now - datetime.timedelta(days=age))
        jobs[name] = job
    orphan = default_storage.save("exports/orphan.xlsx", ContentFile(b"PK\x03\x04 left by no job"))
    default_storage.save("submissions/kept.pdf", ContentFile(b"%PDF-1.4 a document"))
    assert prune_export_jobs(now=now) == {"jobs": 1, "files": 1, "orphans": 1}
    assert keys(bucket) == sorted([f"{PREFIX}/{jobs['kept'].file.name}", f"{PREFIX}/submissions/kept.pdf"])
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [jobs["kept"].pk]
    assert orphan == "exports/orphan.xlsx"


def test_an_empty_bucket_has_nothing_to_prune(bucket, db):
    assert prune_export_jobs() == {"jobs": 0, "files": 0, "orphans": 0}
    assert prune_imports(hours=0) == 0


def test_pending_imports_in_the_bucket_are_pruned_by_age(bucket):
    for name in ("imports/7/a.xlsx", "imports/9/b.xlsx"):
        default_storage.save(name, ContentFile(b"PK\x03\x04"))
    default_storage.save("import_jobs/1.xlsx", ContentFile(b"PK\x03\x04 a queued job's own copy"))
    assert prune_imports(hours=24, now=time.time() + 23 * 3600) == 0
    assert prune_imports(hours=24, now=time.time() + 25 * 3600) == 2
    assert keys(bucket) == [f"{PREFIX}/import_jobs/1.xlsx"]


def test_a_pending_import_waits_in_the_bucket_until_it_is_confirmed(client, bucket, head_a, unit_a):
    """The preview and the confirm may reach two app servers: the upload waits in the bucket, not on a local disk."""
    submission = SubmissionFactory(round=RoundFactory(year=2025, reference_date=datetime.date(2025, 12, 15)), unit=unit_a)
    a, b = staff(unit_a, 2)
    client.force_login(head_a)
    url = reverse("nominations:nomination_import", args=[submission.round_id, unit_a.pk])
    upload = SimpleUploadedFile("ds.xlsx", nomination_list_xlsx([[1, "Cá nhân", a.full_name, None, "LĐTT", ""], [2, "Cá nhân", b.full_name, None, "LĐTT", ""]]))
    body = client.post(url, {"file": upload}).content.decode()
    assert "2 dòng hợp lệ." in body
    token = re.search(r'name="token" value="([0-9a-f]+)"', body).group(1)
    assert keys(bucket) == [f"{PREFIX}/imports/{head_a.pk}/{token}.xlsx"]
    assert client.post(url, {"token": token}).status_code == 302
    assert sorted(Nomination.objects.values_list("person__full_name", flat=True)) == sorted([a.full_name, b.full_name])
    assert keys(bucket) == []  # confirmed: the stash is gone


def _sha(data):
    return hashlib.sha256(data).hexdigest()


MEDIA = {"submissions/2025/a.pdf": b"%PDF-1.4 a", "exports/1.xlsx": b"PK\x03\x04 export", "nested/deep/c.png": b"\x89PNG c"}


@pytest.fixture
def target(tmp_path, transactional_db):
    """An empty database of the suite's own kind (SQLite file or PostgreSQL database) to restore into."""
    site = new_site("s3restore", tmp_path)
    yield site.settings_dict
    site.drop()


def test_a_backup_holds_every_object_and_restores_into_an_empty_bucket(bucket, transactional_db, tmp_path, target):
    # transactional: SQLite's online backup of the test database waits for ever on a test's open write transaction
    for name, data in MEDIA.items():
        default_storage.save(name, ContentFile(data))
    default_storage.save("imports/7/pending.xlsx", ContentFile(b"PK\x03\x04 pending"))  # temporary: left out
    UserFactory(role="office", username="nguoi_duoc_sao_luu")
    path, manifest = create_backup(tmp_path / "backup.tar")
    media = {name: entry for name, entry in manifest["files"].items() if name.startswith("media/")}
    assert media == {f"media/{name}": {"sha256": _sha(data), "size": len(data)} for name, data in MEDIA.items()}
    assert manifest["media"] == {"files": 3, "bytes": sum(len(data) for data in MEDIA.values())}
    with tarfile.open(path) as archive:
        assert {m.name: archive.extractfile(m).read() for m in archive if m.name.startswith("media/")} == {
            f"media/{name}": data for name, data in MEDIA.items()}

    with pytest.raises(BackupError, match=rf"Thư mục tệp s3://{BUCKET}/{PREFIX} không trống"):
        restore_backup(path, settings_dict=target)
    assert database_is_empty(target)  # refused before touching anything

    for key in keys(bucket):
        bucket.delete_object(Bucket=BUCKET, Key=key)
    restored, _pending = restore_backup(path, settings_dict=target)
    assert restored["files"] == manifest["files"]
    assert keys(bucket) == sorted(f"{PREFIX}/{name}" for name in MEDIA)
    assert {name: body(bucket, f"{PREFIX}/{name}") for name in MEDIA} == MEDIA
    assert sorted(files_under(default_storage)) == sorted(MEDIA)


def test_restore_with_replace_empties_the_bucket_first(bucket, transactional_db, tmp_path, target):
    default_storage.save("submissions/a.pdf", ContentFile(b"%PDF-1.4 a"))
    path, _manifest = create_backup(tmp_path / "backup.tar")
    default_storage.save("submissions/later.pdf", ContentFile(b"%PDF-1.4 written after the backup"))
    restore_backup(path, settings_dict=target, replace=True)
    assert keys(bucket) == [f"{PREFIX}/submissions/a.pdf"]
