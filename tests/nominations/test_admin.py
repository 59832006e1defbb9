"""The Django admin never bypasses the workflow or the audit trail: state fields are read-only, deletions
go through the app's pages, documents and overrides are read-only; every field has a Vietnamese label."""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nominations import services
from nominations.models import AwardRecord, Nomination, NominationRound, Rule, RuleOverride, SubmissionDocument
from tdkt.models import AuditEvent
from tests.factories import UserFactory
from tests.factories.nominations import AwardFactory, NominationFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def admin_user(db):
    return UserFactory(role="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def rows(sub_a, person_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    nomination = NominationFactory(submission=sub_a, person=person_a)
    document = services.document_add(actor=None, submission=sub_a, kind="memo",
                                     uploaded_file=SimpleUploadedFile("to-trinh.pdf", b"%PDF-1.4 memo"))
    override = RuleOverride.objects.create(nomination=nomination, rule=Rule.objects.filter(code="R5").first(), reason="Đã xác minh")
    award = AwardFactory(person=person_a, year=2023)
    return {"nomination": nomination, "document": document, "override": override, "award": award, "round": sub_a.round}


def _admin_url(obj, view):
    return reverse(f"admin:nominations_{obj._meta.model_name}_{view}", args=[obj.pk])


def test_the_admin_deletes_none_of_what_has_a_workflow_or_a_reason(client, admin_user, rows):
    client.force_login(admin_user)
    for key in ("nomination", "award", "document", "override", "round"):
        obj = rows[key]
        assert client.get(_admin_url(obj, "delete")).status_code == 403, key
        assert client.post(_admin_url(obj, "delete"), {"post": "yes"}).status_code == 403, key
        changelist = reverse(f"admin:nominations_{obj._meta.model_name}_changelist")
        client.post(changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert [Nomination.objects.count(), AwardRecord.objects.count(), SubmissionDocument.objects.count(), RuleOverride.objects.count(),
            NominationRound.objects.count()] == [1, 1, 1, 1, 1]
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_round_status_is_read_only_in_the_admin(client, admin_user, rows):
    nomination_round = rows["round"]
    client.force_login(admin_user)
    data = {"name": nomination_round.name, "kind": "annual", "year": 2025, "reference_date": "15/12/2025",
            "deadline": nomination_round.deadline.strftime("%d/%m/%Y"), "campaign": "", "note": "", "status": "decided"}
    response = client.post(_admin_url(nomination_round, "change"), data)
    assert response.status_code == 302
    nomination_round.refresh_from_db()
    assert nomination_round.status == "open"  # open → decided skips ROUND_TRANSITIONS: only the round status pages move it
    assert 'name="status"' not in client.get(_admin_url(nomination_round, "change")).content.decode()


def test_documents_and_overrides_are_read_only_in_the_admin(client, admin_user, rows):
    client.force_login(admin_user)
    for key in ("document", "override"):
        obj = rows[key]
        body = client.get(_admin_url(obj, "change")).content.decode()
        assert 'name="_save"' not in body and 'name="kind"' not in body and 'name="reason"' not in body, key
        client.post(_admin_url(obj, "change"), {"kind": "other", "original_name": "khac.pdf", "reason": "Sửa"})
        assert client.get(reverse(f"admin:nominations_{obj._meta.model_name}_add")).status_code == 403, key
    rows["document"].refresh_from_db()
    rows["override"].refresh_from_db()
    assert (rows["document"].kind, rows["document"].original_name, rows["override"].reason) == ("memo", "to-trinh.pdf", "Đã xác minh")


def test_the_admin_still_adds_and_changes_nominations(client, admin_user, rows):
    nomination = rows["nomination"]
    client.force_login(admin_user)
    body = client.get(_admin_url(nomination, "change")).content.decode()
    assert 'name="_save"' in body and _admin_url(nomination, "delete") not in body
    data = {"round": nomination.round_id, "submission": nomination.submission_id, "person": nomination.person_id,
            "title": nomination.title_id, "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ", "override_reason": ""}
    assert client.post(_admin_url(nomination, "change"), data).status_code == 302
    nomination.refresh_from_db()
    assert nomination.achievement_summary == "Hoàn thành xuất sắc nhiệm vụ"
    assert list(AuditEvent.objects.filter(object_id=str(nomination.pk), content_type__model="nomination")
                .values_list("action", "actor")) == [("update", admin_user.pk)]


def test_every_field_of_the_nominations_models_has_a_vietnamese_label(db):
    missing = [f"{model.__name__}.{field.name}" for model in apps.get_app_config("nominations").get_models()
               for field in model._meta.get_fields()
               if not field.auto_created and field.verbose_name == field.name.replace("_", " ")]
    assert missing == []
    labels = {(m, f): str(apps.get_model("nominations", m)._meta.get_field(f).verbose_name) for m, f in [
        ("SubmissionDocument", "submission"), ("SubmissionDocument", "uploaded_by"), ("SubmissionDocument", "uploaded_at"),
        ("RuleOverride", "rule"), ("RuleOverride", "nomination"), ("RuleOverride", "created_by"), ("RuleOverride", "created_at"),
        ("BonusCoefficient", "title"), ("BonusCoefficient", "form"), ("UnitSubmission", "submitted_by"),
        ("Nomination", "created_by"), ("Nomination", "updated_at")]}
    assert labels == {
        ("SubmissionDocument", "submission"): "hồ sơ đơn vị", ("SubmissionDocument", "uploaded_by"): "người tải lên",
        ("SubmissionDocument", "uploaded_at"): "tải lên lúc", ("RuleOverride", "rule"): "quy định",
        ("RuleOverride", "nomination"): "đề nghị", ("RuleOverride", "created_by"): "người tạo", ("RuleOverride", "created_at"): "tạo lúc",
        ("BonusCoefficient", "title"): "danh hiệu thi đua", ("BonusCoefficient", "form"): "hình thức khen thưởng",
        ("UnitSubmission", "submitted_by"): "người gửi", ("Nomination", "created_by"): "người tạo",
        ("Nomination", "updated_at"): "cập nhật lúc"}
