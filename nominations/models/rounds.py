"""Rounds, the units' submissions with their documents, the nominations and the warnings overridden for
them. The upper layer of the models: their validation calls the rules engine, which itself reads only
the lower layer (``awards``, and the rule rows in ``nominations.rules_engine.rule``)."""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movements.api import Campaign, Person, Unit, one_subject, positions_at
from tdkt.validation import ManyValidationError, clean_many
from tdkt.validators import validate_date_bounds

from ..catalogues import CommendationForm, EmulationTitle
from ..enums import AwardType, DocumentKind, NominationState, RoundStatus
from ..rules_engine import Rule, RuleContext, enforce, errors_of, evaluate, round_violations
from .awards import AwardMixin, Initiative, not_after_tomorrow, one_award


class NominationRound(models.Model):
    """Đợt đề nghị: annual (tổng kết năm), thematic (tied to a campaign), ad hoc or other."""

    name = models.CharField(_("tên đợt"), max_length=300)
    kind = models.CharField(_("loại đợt"), max_length=10, choices=AwardType.choices, default=AwardType.ANNUAL)
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    reference_date = models.DateField(
        _("ngày xét"), help_text=_("Ngày dùng để xác định chức vụ lãnh đạo, kỷ luật… của người được đề nghị."),
        validators=[validate_date_bounds])
    deadline = models.DateField(_("hạn nộp hồ sơ"), null=True, blank=True, help_text=_("Đợt đột xuất không có hạn nộp."),
                                validators=[validate_date_bounds])
    campaign = models.ForeignKey(Campaign, verbose_name=_("phong trào thi đua"), on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="nomination_rounds")
    status = models.CharField(_("trạng thái"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đợt đề nghị")
        verbose_name_plural = _("đợt đề nghị")
        ordering = ["-year", "-reference_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="round_year_range",
                                   violation_error_message=_("Năm không hợp lệ.")),
            models.CheckConstraint(condition=Q(kind="ad_hoc") | Q(deadline__isnull=False), name="round_deadline_unless_ad_hoc",
                                   violation_error_message=_("Đợt đề nghị (trừ đột xuất) phải có hạn nộp hồ sơ.")),
            models.CheckConstraint(condition=~Q(kind="ad_hoc") | Q(deadline__isnull=True), name="round_ad_hoc_no_deadline",
                                   violation_error_message=_("Đợt đột xuất không có hạn nộp hồ sơ.")),
            models.CheckConstraint(condition=~Q(kind="thematic") | Q(campaign__isnull=False), name="round_thematic_has_campaign",
                                   violation_error_message=_("Đợt chuyên đề phải gắn với một phong trào thi đua.")),
        ]

    def __str__(self):
        return self.name

    def save(self, **kwargs):
        update_fields = kwargs.get("update_fields")
        year_changed = (not self._state.adding and getattr(self, "_stored_year", None) != self.year
                        and (update_fields is None or "year" in update_fields))
        super().save(**kwargs)
        if year_changed:
            refresh_list_keys(Nomination.objects.filter(round=self).exclude(list_year=self.year))
        self._stored_year = self.year

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._stored_year = instance.__dict__.get("year")  # the nominations' list keys follow a change (save)
        return instance

    def clean(self):
        if self.kind == AwardType.AD_HOC and self.deadline:
            raise ValidationError({"deadline": _("Đợt đột xuất không có hạn nộp hồ sơ.")})
        if self.kind != AwardType.AD_HOC and not self.deadline:
            raise ValidationError({"deadline": _("Đợt đề nghị (trừ đột xuất) phải có hạn nộp hồ sơ.")})
        if self.kind == AwardType.THEMATIC and not self.campaign_id:
            raise ValidationError({"campaign": _("Đợt chuyên đề phải gắn với một phong trào thi đua.")})
        if self.reference_date and self.year and not 0 <= self.reference_date.year - self.year <= 1:
            raise ValidationError({"reference_date": _("Ngày xét phải thuộc năm thành tích hoặc năm liền sau.")})
        if self.deadline and self.reference_date and self.deadline < self.reference_date:
            raise ValidationError({"deadline": _("Hạn nộp hồ sơ (%(deadline)s) không được trước ngày xét (%(ref)s).") % {
                "deadline": self.deadline.strftime("%d/%m/%Y"), "ref": self.reference_date.strftime("%d/%m/%Y")}})
        blocking = [str(v) for v in round_violations(self) if v.blocking]
        if blocking:
            raise ValidationError({"campaign": blocking})

    #: What fixes the basis of the judgement: kind, year, reference date and campaign cannot change once a unit sent.
    BASIS_FIELDS = ("kind", "year", "reference_date", "campaign")

    def frozen_fields(self):
        """The fields that may no longer change at the round's status, with the reason: open — kind, year, reference
        date and campaign once any nomination of the round was sent; closed or at the council — everything but the
        name and the note; decided — everything but the note."""
        if self.pk is None:
            return (), ""
        if self.status == RoundStatus.DECIDED:
            return tuple(f for f in ("name", "deadline", *self.BASIS_FIELDS)), _("đợt đã có quyết định")
        if self.status != RoundStatus.OPEN:
            return ("deadline", *self.BASIS_FIELDS), _("đợt đã đóng (%(status)s)") % {"status": self.get_status_display()}
        if self.nominations.filter(sent_nominations()).exists():
            return self.BASIS_FIELDS, _("đã có đề nghị được gửi")
        return (), ""

    @property
    def is_open(self):
        return self.status == RoundStatus.OPEN

    @property
    def past_deadline(self):
        return bool(self.deadline) and timezone.localdate() > self.deadline


class UnitSubmission(models.Model):
    """A unit's dossier for one round: its tờ trình and attachments; nominations hang from it."""

    round = models.ForeignKey(NominationRound, verbose_name=_("đợt đề nghị"), on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị đề nghị"), on_delete=models.PROTECT, related_name="nomination_submissions")
    memo_number = models.CharField(_("số tờ trình"), max_length=50, blank=True)
    memo_date = models.DateField(_("ngày tờ trình"), null=True, blank=True, validators=[validate_date_bounds])
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ đề nghị của đơn vị")
        verbose_name_plural = _("hồ sơ đề nghị của đơn vị")
        ordering = ["round", "unit__sort_order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="submission_one_per_round_unit",
                                    violation_error_message=_("Đơn vị này đã có hồ sơ trong đợt này.")),
        ]

    def __str__(self):
        return f"{self.unit} – {self.round}"

    def save(self, **kwargs):
        update_fields = kwargs.get("update_fields")
        unit_changed = (not self._state.adding and getattr(self, "_stored_unit_id", None) != self.unit_id
                        and (update_fields is None or {"unit", "unit_id"} & set(update_fields)))
        super().save(**kwargs)
        if unit_changed:
            refresh_list_keys(Nomination.objects.filter(submission=self))
        self._stored_unit_id = self.unit_id

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._stored_unit_id = instance.__dict__.get("unit_id")  # the nominations' list keys follow a change (save)
        return instance

    def clean(self):
        future = not_after_tomorrow(self.memo_date, "memo_date")
        if future:
            raise ValidationError(future)

    @property
    def is_sent(self):
        """The unit sent its list (or a nomination of it reached the office)."""
        return self.submitted_at is not None or (self.pk is not None and self.nominations.filter(sent_nominations()).exists())

    @property
    def scope_unit_id(self):
        """The unit it belongs to (role scoping, ``tdkt.roles``)."""
        return self.unit_id


def sent_nominations(prefix=""):
    """What the unit sent to the office, as a filter: every nomination but a draft. The council reads and
    counts only these (``prefix``: the path to the nomination, e.g. ``"nominations__"``); the predicate on one
    nomination is :attr:`Nomination.is_sent`."""
    return Q(**{f"{prefix}state__in": NominationState.sent()})


def sent_documents():
    """The files that reached the office, as a filter: a nominee's file once that nomination was sent (never a
    draft's), a file of the submission itself (tờ trình, biên bản) once the unit sent its list. The predicate
    on one document is :attr:`SubmissionDocument.is_sent`."""
    return Q(nomination__isnull=True, submission__submitted_at__isnull=False) | sent_nominations("nomination__")


def submission_document_path(instance, filename):
    ext = os.path.splitext(filename)[1].lower()
    return f"nominations/{instance.submission.round_id}/{instance.submission.unit_id}/{uuid.uuid4().hex}{ext}"


class SubmissionDocument(models.Model):
    """A typed attachment of a unit submission. Files live under MEDIA_ROOT (outside the web
    root) and are served only by a permission-checked view."""

    submission = models.ForeignKey(UnitSubmission, verbose_name=_("hồ sơ đơn vị"), on_delete=models.PROTECT, related_name="documents")
    nomination = models.ForeignKey("Nomination", verbose_name=_("đề nghị"), on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="documents", help_text=_("Bắt buộc với báo cáo thành tích."))
    kind = models.CharField(_("loại tài liệu"), max_length=12, choices=DocumentKind.choices)
    file = models.FileField(_("tệp"), upload_to=submission_document_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu hồ sơ")
        verbose_name_plural = _("tài liệu hồ sơ")
        ordering = ["kind", "uploaded_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"

    def clean(self):
        if self.kind == DocumentKind.ACHIEVEMENT_REPORT and not self.nomination_id:
            raise ValidationError({"nomination": _("Báo cáo thành tích phải gắn với một người hoặc tập thể được đề nghị.")})
        if self.nomination_id and self.submission_id and self.nomination.submission_id != self.submission_id:
            raise ValidationError({"nomination": _("Đề nghị này không thuộc hồ sơ của đơn vị.")})

    @property
    def scope_unit_id(self):
        """The unit it belongs to: the unit of the submission (role scoping, ``tdkt.roles``)."""
        return self.submission.unit_id

    @property
    def is_sent(self):
        """Reached the office (the council reads only these): see :func:`sent_documents`."""
        if self.nomination_id:
            return self.nomination.is_sent
        return self.submission.submitted_at is not None

    @property
    def unit_may_remove(self):
        """The unit may still remove it: a file of a draft or returned nomination, or of a submission not yet sent."""
        if self.nomination_id:
            return self.nomination.state in NominationState.editable()
        return self.submission.submitted_at is None


LIST_KEYS = ("list_year", "list_unit", "list_unit_order")
#: Individuals before collectives, collectives in the order of their id: ``unit_id`` with NULL first, written as an
#: expression every database can hold in an index (SQLite has no NULLS FIRST in an index; ids start at 1).
SUBJECT_ORDER = Coalesce("unit", Value(0), output_field=models.BigIntegerField())
#: The nomination list's order: newest year and round first, then the proposing units' order, individuals first.
LIST_ORDER = (F("list_year").desc(), F("round").desc(), F("list_unit_order").asc(), SUBJECT_ORDER.asc(), F("id").asc())
LIST_ORDER_INDEX = (F("list_year").desc(), F("round").desc(), F("list_unit_order"), SUBJECT_ORDER, F("id"))


def refresh_list_keys(nominations):
    """Set the list keys of ``nominations`` (a queryset: a round's, a submission's, a unit's) from their round and
    submission again, in one UPDATE."""
    submission = UnitSubmission.objects.filter(pk=OuterRef("submission_id"))
    nominations.update(list_year=Subquery(NominationRound.objects.filter(pk=OuterRef("round_id")).values("year")[:1]),
                       list_unit=Subquery(submission.values("unit_id")[:1]),
                       list_unit_order=Subquery(submission.values("unit__sort_order")[:1]))


class NominationQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Nominations created in bulk (an import) get their list keys as ``save()`` gives them (two queries)."""
        objs = list(objs)
        years = dict(NominationRound.objects.using(self.db).filter(pk__in={n.round_id for n in objs}).values_list("pk", "year"))
        units = {pk: (unit_id, order) for pk, unit_id, order in UnitSubmission.objects.using(self.db).filter(
            pk__in={n.submission_id for n in objs}).values_list("pk", "unit_id", "unit__sort_order")}
        for n in objs:
            n.list_year = years[n.round_id]
            n.list_unit, n.list_unit_order = units[n.submission_id]
        return super().bulk_create(objs, *args, **kwargs)


class Nomination(AwardMixin):
    """Đề nghị khen thưởng: one subject (person or unit) for one title or form, in a unit's submission."""

    round = models.ForeignKey(NominationRound, verbose_name=_("đợt đề nghị"), on_delete=models.PROTECT, related_name="nominations")
    submission = models.ForeignKey(UnitSubmission, verbose_name=_("hồ sơ đơn vị"), on_delete=models.PROTECT, related_name="nominations")
    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="nominations")
    unit = models.ForeignKey(Unit, verbose_name=_("tập thể"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="nominations")
    title = models.ForeignKey(EmulationTitle, verbose_name=_("danh hiệu thi đua"), on_delete=models.PROTECT, null=True, blank=True,
                              related_name="nominations")
    form = models.ForeignKey(CommendationForm, verbose_name=_("hình thức khen thưởng"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="nominations")
    achievement_summary = models.TextField(_("tóm tắt thành tích"), blank=True)
    initiatives = models.ManyToManyField(Initiative, verbose_name=_("sáng kiến, đề tài"), blank=True, related_name="nominations")
    state = models.CharField(_("trạng thái"), max_length=16, choices=NominationState.choices, default=NominationState.DRAFT)
    last_reason = models.TextField(_("lý do gần nhất"), blank=True,
                                   help_text=_("Lý do trả lại, không đạt hoặc không thông qua lần gần nhất."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    facts_flag = models.TextField(_("thay đổi sau khi gửi"), blank=True, help_text=_(
        "Quy định bị vi phạm khi kiểm tra lại sau một thay đổi về chức vụ, xếp loại, kỷ luật của người hoặc tập thể được "
        "đề nghị (sau khi đã gửi); tự xoá khi lần kiểm tra sau đạt."))
    facts_flagged_at = models.DateTimeField(_("gắn cờ lúc"), null=True, blank=True)
    # The nomination list's order (newest round first, then the proposing units' order: ``LIST_ORDER``) read
    # from one index of this table instead of sorting a join of every row: copies of the round's year and of the
    # proposing unit (its id and ``sort_order``). Set on save and on ``bulk_create``; kept in step when a round's year,
    # a submission's unit or a unit's order changes (``refresh_list_keys``). Never used to decide who sees what.
    list_year = models.PositiveSmallIntegerField(_("năm của đợt (sắp xếp danh sách)"), default=0, editable=False)
    list_unit = models.BigIntegerField(_("đơn vị đề nghị (sắp xếp danh sách)"), default=0, editable=False)
    list_unit_order = models.PositiveIntegerField(_("thứ tự của đơn vị đề nghị (sắp xếp danh sách)"), default=0, editable=False)

    objects = NominationQuerySet.as_manager()

    CONTENT_FIELDS = ("round_id", "submission_id", "person_id", "unit_id", "title_id", "form_id")

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["round", "submission", "id"]
        constraints = [
            one_subject("nomination_one_subject"),
            one_award("nomination_one_award"),
        ]
        indexes = [
            models.Index(fields=["round", "state"]),
            models.Index(fields=["state", "-updated_at"]),
            # the list's order (LIST_ORDER), alone and after each common filter: a page reads 25 entries of one index
            models.Index(*LIST_ORDER_INDEX, name="nomination_list_order"),
            models.Index(F("round"), *LIST_ORDER_INDEX[:1], *LIST_ORDER_INDEX[2:], name="nomination_list_round"),
            models.Index(F("list_unit"), *LIST_ORDER_INDEX, name="nomination_list_unit"),
            models.Index(F("state"), *LIST_ORDER_INDEX, name="nomination_list_state"),
            models.Index(F("title"), *LIST_ORDER_INDEX, name="nomination_list_title"),
            models.Index(F("form"), *LIST_ORDER_INDEX, name="nomination_list_form"),
        ]

    def __str__(self):
        subject, award = self.subject, self.award
        return f"{subject or '—'} – {award or '—'}"

    def save(self, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"round", "round_id", "submission", "submission_id"} & set(update_fields):
            self.list_year, self.list_unit, self.list_unit_order = self.round.year, self.submission.unit_id, self.submission.unit.sort_order
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, *LIST_KEYS]
        super().save(**kwargs)

    def content_changed(self):
        if self._state.adding or self.pk is None:
            return True
        original = Nomination.objects.filter(pk=self.pk).values(*self.CONTENT_FIELDS).first()
        return original is None or any(original[f] != getattr(self, f) for f in self.CONTENT_FIELDS)

    def clean(self):
        self.clean_subject_and_award()
        if self.submission_id and self.round_id and self.submission.round_id != self.round_id:
            raise ValidationError(_("Hồ sơ đơn vị không thuộc đợt đề nghị này."))

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True, *, rules=None):
        """Django's validation, then, when the content changed (a new nomination, another subject or award),
        the entry checks and the rules engine: the quota rules are validators of the model, on every write
        path (form, service, import, admin, shell).

        ``rules``: the :class:`~nominations.rules_engine.RuleContext` of this write (the override reason given
        now, the rest of an import saved with it); the default is the strict one. Returns the warnings that did
        not stop the write (overridden with a reason), for the caller to record.

        A whole list is judged by :meth:`full_clean_many`, the same checks in a constant number of queries.
        """
        super().full_clean(exclude=exclude, validate_unique=validate_unique, validate_constraints=validate_constraints)
        if not self.content_changed():
            return []
        self._clean_entry()
        return enforce(self, rules if rules is not None else RuleContext())

    @classmethod
    def full_clean_many(cls, nominations, *, rules=None):
        """Judge a list of nominations written together (an Excel import) as :meth:`full_clean` judges each,
        in a number of queries that does not grow with the list: Django's validation for the whole list at once
        (:func:`tdkt.validation.clean_many`: one query per foreign key, unique checks and check constraints for
        the list), the entry checks with the posts of every person in one query, and the rules engine **once**
        over the list (``evaluate(list, whole_list=rules.whole_list)``, the rule context's ``batch`` after it).

        The list is judged as a whole: a nomination is judged with the others of the list as if saved together,
        the later rows being those a rule flags (the second of two identical rows, the leaders beyond 40 %), so
        each gets the verdict :meth:`full_clean` gives it when the rows before it are saved and the rows after it
        are its ``rules.batch``. A nomination that fails Django's validation or the entry checks is not counted
        by the rules. The nominations carry their related objects (round, submission and its unit, subject, award),
        as an import builds them: reading one that is not loaded would be a query.

        Raises :class:`tdkt.validation.ManyValidationError` (``by_index``: the error of each failing nomination)
        if any fails; else returns the warnings of each (a list per nomination) that the reason went past.
        """
        nominations = list(nominations)
        context = rules if rules is not None else RuleContext()
        errors = clean_many(nominations)
        changed = cls._content_changed_many([n for i, n in enumerate(nominations) if i not in errors])
        worked_there = cls._worked_there_many([n for i, n in enumerate(nominations) if i not in errors])
        judged = []
        for index, nomination in enumerate(nominations):
            if index in errors or not changed[id(nomination)]:
                continue
            try:
                nomination._clean_entry(worked_there=worked_there)
            except ValidationError as exc:
                errors[index] = exc
            else:
                judged.append(index)
        warnings = [[] for _n in nominations]
        if judged:
            found = evaluate([nominations[i] for i in judged] + list(context.batch), stage=context.stage,
                             whole_list=context.whole_list)
            overridden = cls._overridden_many([nominations[i] for i in judged], context)
            for index, violations in zip(judged, found, strict=False):
                # the messages of ``enforce``, in its order; a warning without a reason has the code "rule_warning"
                stopping = [ValidationError(message, code="rule" if v.blocking else "rule_warning")
                            for v in violations for message in errors_of([v], overridden[id(nominations[index])])]
                if stopping:
                    errors[index] = ValidationError(stopping)
                else:
                    warnings[index] = [v for v in violations if not v.blocking and not v.advisory]
        if errors:
            raise ManyValidationError(errors)
        return warnings

    @classmethod
    def _content_changed_many(cls, nominations):
        """``{id(nomination): content changed}`` (one query for the saved ones, none for new ones)."""
        saved = [n for n in nominations if not (n._state.adding or n.pk is None)]
        originals = {row[0]: row[1:] for row in cls.objects.filter(pk__in=[n.pk for n in saved]).values_list(
            "pk", *cls.CONTENT_FIELDS)} if saved else {}
        result = {}
        for n in nominations:
            original = None if n._state.adding or n.pk is None else originals.get(n.pk)
            result[id(n)] = original is None or any(value != getattr(n, f) for f, value in zip(cls.CONTENT_FIELDS, original,
                                                                                                 strict=True))
        return result

    @staticmethod
    def _worked_there_many(nominations):
        """``{(person id, unit id, reference date)}`` of the people not in the proposing unit now who held a post
        there on the round's reference date (one query per reference date: one for an import)."""
        wanted = {}
        for n in nominations:
            if n.person_id and n.submission_id is not None and n.person.unit_id != n.submission.unit_id:
                wanted.setdefault(n.round.reference_date, (set(), set()))
                wanted[n.round.reference_date][0].add(n.person_id)
                wanted[n.round.reference_date][1].add(n.submission.unit_id)
        found = set()
        for date, (persons, units) in wanted.items():
            found |= {(p, u, date) for p, u in positions_at(date, persons=persons, units=units).values_list("person_id", "unit_id")}
        return found

    @staticmethod
    def _overridden_many(nominations, context):
        """``{id(nomination): codes of the warnings that pass}`` as :func:`~nominations.rules_engine.overridden_codes`
        gives them: every warning with a reason given now, else those already overridden (one query for the saved)."""
        if context.override_reason:
            return {id(n): None for n in nominations}
        saved = {n.pk for n in nominations if n.pk}
        codes = {}
        if saved:
            for pk, code in RuleOverride.objects.filter(nomination_id__in=saved).values_list("nomination_id", "rule__code"):
                codes.setdefault(pk, set()).add(code)
        return {id(n): codes.get(n.pk, set()) if n.pk else set() for n in nominations}

    def _clean_entry(self, worked_there=None):
        """What a new or changed nomination must meet besides its fields: an open round, an editable state, a
        subject of the proposing unit. ``worked_there``: the posts looked up for a whole list (else one query)."""
        if self.round.status != RoundStatus.OPEN:
            raise ValidationError(_("Đợt đề nghị “%(round)s” không còn nhận hồ sơ.") % {"round": self.round})
        if self.state not in NominationState.editable():
            raise ValidationError(_("Đề nghị ở trạng thái “%(state)s” không sửa được.") % {"state": self.get_state_display()})
        self._clean_subject_belongs_to_unit(worked_there)

    def _clean_subject_belongs_to_unit(self, worked_there=None):
        unit = self.submission.unit
        if self.person_id:
            if self.person.unit_id == unit.pk:
                worked = True
            elif worked_there is not None:
                worked = (self.person_id, unit.pk, self.round.reference_date) in worked_there
            else:
                worked = positions_at(self.round.reference_date, persons=[self.person_id], units=[unit.pk]).exists()
            if not worked:
                raise ValidationError({"person": _("%(name)s không công tác tại %(unit)s vào ngày xét %(date)s.") % {
                    "name": self.person, "unit": unit, "date": self.round.reference_date.strftime("%d/%m/%Y")}})
        elif self.unit_id and self.unit_id != unit.pk and self.unit.parent_id != unit.pk:
            raise ValidationError({"unit": _("%(unit)s chỉ đề nghị chính đơn vị mình hoặc đơn vị cấp dưới.") % {"unit": unit}})

    @property
    def is_editable(self):
        return self.state in NominationState.editable()

    @property
    def proposing_unit(self):
        return self.submission.unit

    @property
    def scope_unit_id(self):
        """The unit it belongs to: the unit that proposes it (role scoping, ``tdkt.roles``)."""
        return self.submission.unit_id

    @property
    def is_sent(self):
        """Reached the office (the council reads only these): see :func:`sent_nominations`."""
        return self.state in NominationState.sent()


class RuleOverride(models.Model):
    """A warning rule explicitly overridden for one nomination, with the reason (recorded)."""

    nomination = models.ForeignKey(Nomination, verbose_name=_("đề nghị"), on_delete=models.CASCADE, related_name="overrides")
    rule = models.ForeignKey(Rule, verbose_name=_("quy định"), on_delete=models.PROTECT, related_name="overrides")
    reason = models.TextField(_("lý do"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("vượt cảnh báo")
        verbose_name_plural = _("vượt cảnh báo")
        constraints = [models.UniqueConstraint(fields=["nomination", "rule"], name="override_once_per_rule")]

    def __str__(self):
        return f"{self.rule.code}: {self.nomination}"
