"""Deployment edges (tdkt/security.py, settings): private pages, NUL bytes, the client's address behind a
proxy, login throttling per user name, demo data refused in production, download names, the audit table."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from tdkt.audit import audit_record
from tdkt.enums import AuditAction
from tdkt.exports import Column, ListExporter, export_response
from tdkt.models import AuditEvent, ExportJob
from tdkt.security import client_ip
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.integration


def test_pages_and_downloads_of_a_logged_in_user_are_never_cached(client, office_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(office_user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}
    job = ExportJob.objects.create(user=office_user, key="k", fmt="xlsx", status=ExportJob.Status.DONE, filename="a.xlsx")
    job.file.save("a.xlsx", ContentFile(b"PK"))
    download = client.get(reverse("export_job_download", args=[job.pk]))
    assert download.status_code == 200
    assert set(download["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}
    download.close()


def test_a_nul_byte_in_a_parameter_answers_400_not_500(client, office_user):
    client.force_login(office_user)
    response = client.get(reverse("home"), {"q": "Nguyễn\x00"})
    assert response.status_code == 400
    assert response.content.decode() == "Yêu cầu chứa ký tự không hợp lệ."
    assert client.post(reverse("login"), {"username": "a\x00", "password": "x"}).status_code == 400


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_the_forwarded_address_is_believed_only_from_a_trusted_proxy(settings):
    settings.TDKT_TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"
    settings.TDKT_TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    # The client wrote a fake address first; the proxy appended the real one.
    assert client_ip(_request("10.0.0.5", "6.6.6.6, 198.51.100.9")) == "198.51.100.9"
    assert client_ip(_request("10.0.0.5", "198.51.100.9, 10.1.2.3")) == "198.51.100.9"
    assert client_ip(_request("203.0.113.7", "198.51.100.9")) == "203.0.113.7"  # not through our proxy
    assert client_ip(_request("10.0.0.5", "not-an-address")) == "10.0.0.5"
    assert client_ip(_request("10.0.0.5")) == "10.0.0.5"


def test_failed_logins_lock_a_user_name_across_addresses(client, db, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(username="vanphong2")
    for n in range(3):
        client.post(reverse("login"), {"username": "vanphong2", "password": "sai"}, REMOTE_ADDR=f"198.51.100.{n}")
    response = client.post(reverse("login"), {"username": "vanphong2", "password": PASSWORD}, REMOTE_ADDR="198.51.100.200")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    other = client.post(reverse("login"), {"username": UserFactory().username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.0")
    assert other.status_code == 302  # another account from a failing address still logs in
    assert user.pk


def test_demo_data_is_refused_in_production_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Không tạo dữ liệu mẫu khi DJANGO_DEBUG=false"):
        call_command("seed_demo")


class Quoted(ListExporter):
    title = "Danh sách"
    filename = 'danh-sach-"QL"KH\r\nX-Evil: 1'
    columns = (Column("Tên", 20),)

    def rows(self):
        return iter([("A",)])


def test_a_download_name_with_quotes_or_line_breaks_keeps_the_header_sound():
    response = export_response(Quoted(), "xlsx")
    header = response["Content-Disposition"]
    assert "\n" not in header and "\r" not in header
    assert header.startswith("attachment; filename")
    assert "X-Evil" not in response.headers or response.headers.get("X-Evil") is None


@pytest.mark.postgresql
def test_the_database_refuses_to_rewrite_the_audit_table(db, office_user):
    if connection.vendor != "postgresql":
        pytest.skip("Cần PostgreSQL: trigger chỉ cài trên PostgreSQL (SQLite giữ ràng buộc ở tầng model).")
    event = audit_record(actor=office_user, action=AuditAction.UPDATE, obj=office_user, reason="gốc")
    for sql in ["UPDATE tdkt_auditevent SET reason = 'sửa' WHERE id = %s", "DELETE FROM tdkt_auditevent WHERE id = %s"]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == "gốc"


def test_account_and_role_changes_from_the_admin_are_audited(client, db, unit_a):
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    target = UserFactory(role="council", username="hoidong2", full_name="Thành viên")
    client.force_login(admin)
    url = reverse("admin:tdkt_user_change", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields if name not in ("password", "groups",
                                                                                         "user_permissions")}
    data.update({"role": "unit", "unit": unit_a.pk, "is_active": "on", "date_joined_0": "01/01/2026",
                 "date_joined_1": "08:00:00", "last_login_0": "", "last_login_1": ""})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    event = AuditEvent.objects.filter(object_id=str(target.pk), action=AuditAction.UPDATE).get()
    assert event.actor == admin
    assert event.changes == {"role": ["council", "unit"], "unit": [None, str(unit_a)]}
    response = client.post(reverse("admin:auth_user_password_change", args=[target.pk]),
                           {"password1": "Mat-khau-moi-2026!", "password2": "Mat-khau-moi-2026!", "usable_password": "true"})
    assert response.status_code == 302
    password_event = AuditEvent.objects.filter(object_id=str(target.pk)).order_by("-id").first()
    assert (password_event.changes, password_event.actor) == ({"password": ["***", "***"]}, admin)
    assert client.post(reverse("admin:tdkt_user_delete", args=[target.pk]), {"post": "yes"}).status_code == 403


def test_an_oversized_id_or_year_in_a_url_is_not_found(client, office_user, unit_a):
    client.force_login(office_user)
    assert client.get(reverse("movements:unit_detail", args=[unit_a.pk])).status_code == 200
    for path in ["/don-vi/99999999999999999999999/", "/lich-su/movements/unit/123456789012345678901234567890/"]:
        assert client.get(path).status_code == 404
    assert client.get(reverse("movements:unit_detail", args=[10**17])).status_code == 404  # in range, absent
