"""Django admin of the nominations app. Writes go through the same validation as every other
path: model ``clean()`` runs the rules engine, and nominations are saved by a service.

What has a workflow or a reason to record stays with the app's pages: round status (round status pages,
``services.round_set_status``), deleting nominations (drafts only), award records (with a reason),
documents and rule overrides. The admin cannot delete those, and shows documents and overrides read-only.

Finalised records are frozen here too: a nomination once sent (or decided), an award record created by a decision,
a submission's round and unit once sent, and a round's fields fixed at its status are read-only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from tdkt.audit import audit_record
from tdkt.enums import AuditAction
from tdkt.text import nfc_multiline

from . import services
from .enums import NominationState
from .models import (
    AwardRecord,
    BaseSalary,
    BonusCoefficient,
    CommendationForm,
    EmulationTitle,
    Initiative,
    Nomination,
    NominationRound,
    Rule,
    RuleOverride,
    SubmissionDocument,
    UnitSubmission,
)
from .rules_engine import RuleContext


class AuditedAdmin(admin.ModelAdmin):
    """Admin writes leave the same audit trail as the services."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = {name: [form.initial.get(name), form.cleaned_data.get(name)] for name in form.changed_data}
        audit_record(actor=request.user, action=AuditAction.UPDATE if change else AuditAction.CREATE, obj=obj,
                     changes={k: [str(a) if a is not None else None, str(b) if b is not None else None] for k, (a, b) in changes.items()})

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=AuditAction.DELETE, obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, action=AuditAction.DELETE, obj=obj)
        super().delete_queryset(request, queryset)


class NoDeleteMixin:
    """Deleting goes through the app's pages and services (checks, reason, audit), never the admin."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyMixin(NoDeleteMixin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EmulationTitle, CommendationForm)
class AwardKindAdmin(AuditedAdmin):
    list_display = ["code", "name", "subject_kind", "authority", "counts_as_merit", "active"]
    list_filter = ["subject_kind", "authority", "active"]


@admin.register(BonusCoefficient)
class BonusCoefficientAdmin(AuditedAdmin):
    list_display = ["__str__", "subject_kind", "effective_from", "effective_to"]


@admin.register(BaseSalary)
class BaseSalaryAdmin(AuditedAdmin):
    list_display = ["__str__", "legal_basis"]


@admin.register(Rule)
class RuleAdmin(AuditedAdmin):
    list_display = ["code", "name", "severity", "active", "effective_from", "effective_to"]
    list_filter = ["active", "severity"]
    search_fields = ["code", "name", "legal_basis"]


@admin.register(Initiative)
class InitiativeAdmin(AuditedAdmin):
    list_display = ["title", "person", "kind", "scope", "year"]
    list_filter = ["kind", "scope", "year"]
    search_fields = ["title", "person__full_name"]
    raw_id_fields = ["person"]


@admin.register(AwardRecord)
class AwardRecordAdmin(NoDeleteMixin, AuditedAdmin):
    """Deleting an award record needs a reason and is refused for records created by a decision: the award list's page.
    A record created by a decision in the app (linked to its nomination) is read-only: it is what was decided."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.nomination_id:
            return False
        return super().has_change_permission(request, obj)

    list_display = ["__str__", "year", "kind", "decision_number", "decision_date"]
    list_filter = ["kind", "year", "title", "form"]
    list_select_related = ["person", "unit", "title", "form"]
    search_fields = ["person__full_name", "unit__name", "decision_number"]
    raw_id_fields = ["person", "unit", "nomination"]


@admin.register(NominationRound)
class NominationRoundAdmin(NoDeleteMixin, AuditedAdmin):
    """The status moves only along ``workflows.ROUND_WORKFLOW``, on the round's status pages."""

    list_display = ["name", "kind", "year", "reference_date", "deadline", "status"]
    list_filter = ["kind", "status", "year"]
    readonly_fields = ["status"]

    def get_readonly_fields(self, request, obj=None):
        """Besides the status, what may no longer change at the round's status (``NominationRound.frozen_fields``:
        kind, year, reference date and campaign once a nomination was sent; more once closed or decided)."""
        frozen = obj.frozen_fields()[0] if obj is not None else ()
        return ["status", *frozen]


@admin.register(UnitSubmission)
class UnitSubmissionAdmin(AuditedAdmin):
    list_display = ["__str__", "memo_number", "memo_date", "submitted_at"]
    list_select_related = ["round", "unit"]
    readonly_fields = ["submitted_at", "submitted_by"]  # set by sending the list (services.submission_submit)

    def get_readonly_fields(self, request, obj=None):
        """Once the list was sent (or holds nominations, which carry the same round), its round and unit are fixed."""
        if obj is not None and (obj.is_sent or obj.nominations.exists()):
            return ["round", "unit", *self.readonly_fields]
        return self.readonly_fields


@admin.register(SubmissionDocument)
class SubmissionDocumentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read-only: uploads go through the checked form of the submission page, deletions through its audited service."""

    list_display = ["original_name", "kind", "submission", "uploaded_at"]
    list_select_related = ["submission__round", "submission__unit"]


class NominationAdminForm(forms.ModelForm):
    override_reason = forms.CharField(label=_("Lý do vượt cảnh báo"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("Bắt buộc khi quy định ở mức cảnh báo bị vi phạm."))

    class Meta:
        model = Nomination
        fields = ["round", "submission", "person", "unit", "title", "form", "achievement_summary", "initiatives"]

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        initiatives = list(cleaned.get("initiatives") or [])
        if initiatives and (person is None or any(i.person_id != person.pk for i in initiatives)):
            self.add_error("initiatives", _("Chỉ gắn sáng kiến, đề tài của chính cá nhân được đề nghị."))
        return cleaned

    def rule_context(self):
        """The rules judge this form's nomination with the override reason typed in it."""
        return RuleContext(override_reason=nfc_multiline(self.cleaned_data.get("override_reason") or ""))

    def _post_clean(self):
        # ModelForm's hook for the model validation: the same steps as Django's, except that the instance is
        # validated with this form's rule context, passed explicitly (``Nomination.full_clean(rules=…)``).
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except ValidationError as exc:
            self._update_errors(exc)
        try:
            self.instance.full_clean(exclude=self._get_validation_exclusions(), validate_unique=False, validate_constraints=False,
                                     rules=self.rule_context())
        except ValidationError as exc:
            self._update_errors(exc)
        if self._validate_unique:
            self.validate_unique()
        if self._validate_constraints:
            self.validate_constraints()


@admin.register(Nomination)
class NominationAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Adds and changes go through ``services.nomination_admin_save``; only drafts are deleted, on the app's pages."""

    form = NominationAdminForm
    list_display = ["id", "person", "unit", "title", "form", "round", "submission", "state"]
    list_select_related = ["person", "unit", "title", "form", "round", "submission__unit", "submission__round"]
    list_filter = ["state", "round", "title", "form"]
    search_fields = ["person__full_name", "unit__name"]
    raw_id_fields = ["person", "unit", "submission", "initiatives"]
    readonly_fields = ["state", "last_reason"]

    def has_change_permission(self, request, obj=None):
        """Only a draft changes here: anything sent (or decided) is the record of what the unit sent and the office did."""
        if obj is not None and obj.state != NominationState.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.nomination_admin_save(actor=request.user, nomination=obj, override_reason=form.cleaned_data.get("override_reason", ""))

    def save_related(self, request, form, formsets, change):
        # the initiatives through the service (only the nominee's own, audited), not ModelForm.save_m2m
        services.nomination_set_initiatives(actor=request.user, nomination=form.instance,
                                            initiatives=list(form.cleaned_data.get("initiatives") or []))
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(RuleOverride)
class RuleOverrideAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read-only: overrides are recorded with their reason by the services."""

    list_display = ["rule", "nomination", "created_by", "created_at"]
    list_select_related = ["rule", "nomination__person", "nomination__unit", "nomination__title", "nomination__form", "created_by"]
