"""Forms of the nominations app. Text is NFC-normalised; business checks live in the model and services."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from movements.api import Campaign, Person, Unit
from tdkt.forms import DateInput, NFCFormMixin
from tdkt.text import fold
from tdkt.uploads import fmt_size, import_max_bytes

from .enums import AwardType, DocumentKind, InitiativeKind, InitiativeScope, NominationState, SubjectKind
from .models import CommendationForm, EmulationTitle, Initiative, NominationRound
from .workflows import NOMINATION_WORKFLOW


def award_choices(subject=None):
    """Grouped choices "t:<id>" / "f:<id>", titles and forms kept apart as the law does."""
    kinds = [SubjectKind.BOTH, subject] if subject else None

    def rows(model):
        qs = model.objects.filter(active=True)
        if kinds:
            qs = qs.filter(subject_kind__in=kinds)
        return qs.order_by("sort_order", "name")

    prefix = {EmulationTitle: "t", CommendationForm: "f"}
    return [("", "———")] + [
        (str(label), [(f"{prefix[model]}:{a.pk}", a.name) for a in rows(model)])
        for label, model in ((_("Danh hiệu thi đua"), EmulationTitle), (_("Hình thức khen thưởng"), CommendationForm))
    ]


def split_award(value):
    """"t:3" → {"title": <EmulationTitle 3>, "form": None}."""
    kind, _sep, pk = (value or "").partition(":")
    if kind == "t":
        return {"title": EmulationTitle.objects.get(pk=pk), "form": None}
    if kind == "f":
        return {"title": None, "form": CommendationForm.objects.get(pk=pk)}
    return {"title": None, "form": None}


def award_value(obj):
    if obj is None:
        return ""
    return f"t:{obj.title_id}" if obj.title_id else f"f:{obj.form_id}" if obj.form_id else ""


class RoundForm(NFCFormMixin, forms.Form):
    name = forms.CharField(label=_("Tên đợt"), max_length=300, help_text=_("Ví dụ: Khen thưởng tổng kết năm 2025"))
    kind = forms.ChoiceField(label=_("Loại đợt"), choices=AwardType.choices)
    year = forms.IntegerField(label=_("Năm thành tích"), min_value=1990, max_value=2100)
    reference_date = forms.DateField(label=_("Ngày xét"), widget=DateInput(),
                                     help_text=_("Chức vụ lãnh đạo, kỷ luật… của người được đề nghị được xét tại ngày này."))
    deadline = forms.DateField(label=_("Hạn nộp hồ sơ"), widget=DateInput(), required=False,
                               help_text=_("Bắt buộc, trừ đợt đột xuất."))
    campaign = forms.ModelChoiceField(label=_("Phong trào thi đua"), queryset=Campaign.objects.all(), required=False, empty_label="———",
                                      help_text=_("Bắt buộc với đợt chuyên đề."))
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} – {obj.position_title}" if obj.position_title else obj.full_name


class InitiativeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.full_name}: {obj.title} ({obj.year}, {obj.get_scope_display().lower()})"


class NominationForm(NFCFormMixin, forms.Form):
    subject_kind = forms.ChoiceField(label=_("Đối tượng"), choices=[(SubjectKind.PERSON, _("Cá nhân")), (SubjectKind.UNIT, _("Tập thể"))],
                                     widget=forms.RadioSelect, initial=SubjectKind.PERSON)
    person = PersonChoiceField(label=_("Cá nhân"), queryset=Person.objects.none(), required=False, empty_label="———")
    subject_unit = forms.ModelChoiceField(label=_("Tập thể"), queryset=Unit.objects.none(), required=False, empty_label="———")
    award = forms.ChoiceField(label=_("Danh hiệu / Hình thức"), choices=())
    achievement_summary = forms.CharField(label=_("Tóm tắt thành tích"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                          max_length=5000)
    initiatives = InitiativeChoiceField(label=_("Sáng kiến, đề tài"), queryset=Initiative.objects.none(), required=False,
                                                 widget=forms.CheckboxSelectMultiple,
                                                 help_text=_("Sáng kiến, đề tài của chính cá nhân được đề nghị."))
    override_reason = forms.CharField(label=_("Lý do vượt cảnh báo"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                      max_length=2000, help_text=_("Chỉ cần khi có cảnh báo; lý do được lưu lại."))

    def __init__(self, *args, nomination_round, unit, **kwargs):
        super().__init__(*args, **kwargs)
        ref = nomination_round.reference_date
        in_unit = Q(unit=unit, active=True) | Q(positions__unit=unit, positions__start_date__lte=ref,
                                                 positions__end_date__gte=ref)
        self.fields["person"].queryset = Person.objects.filter(in_unit).distinct().order_by("-is_head", "-is_leadership", "sort_name", "id")
        self.fields["subject_unit"].queryset = Unit.objects.filter(Q(pk=unit.pk) | Q(parent=unit), active=True)
        self.fields["award"].choices = award_choices()
        self.fields["initiatives"].queryset = Initiative.objects.filter(person__in=self.fields["person"].queryset).select_related("person")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("subject_kind")
        if kind == SubjectKind.PERSON:
            cleaned["subject_unit"] = None
            if not cleaned.get("person"):
                self.add_error("person", _("Hãy chọn cá nhân."))
        elif kind == SubjectKind.UNIT:
            cleaned["person"] = None
            cleaned["initiatives"] = []
            if not cleaned.get("subject_unit"):
                self.add_error("subject_unit", _("Hãy chọn tập thể."))
        if cleaned.get("award"):
            cleaned.update(split_award(cleaned["award"]))
        return cleaned

    def service_kwargs(self):
        data = self.cleaned_data
        return {"person": data.get("person"), "subject_unit": data.get("subject_unit"), "title": data.get("title"),
                "form": data.get("form"), "achievement_summary": data.get("achievement_summary", ""),
                "initiatives": list(data.get("initiatives") or []), "override_reason": data.get("override_reason", "")}


class MemoForm(NFCFormMixin, forms.Form):
    memo_number = forms.CharField(label=_("Số tờ trình"), max_length=50, required=False, help_text=_("Ví dụ: 12/TTr-QLKH"))
    memo_date = forms.DateField(label=_("Ngày tờ trình"), widget=DateInput(), required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=DocumentKind.choices)
    nomination = forms.ChoiceField(label=_("Của người/tập thể"), required=False,
                                   help_text=_("Bắt buộc với báo cáo thành tích."))
    file = forms.FileField(label=_("Tệp"), help_text=_("PDF, Word (.docx), Excel (.xlsx), ảnh PNG/JPEG; tối đa 10 MB."))

    def __init__(self, *args, nominations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.nominations = {str(n.pk): n for n in nominations}
        self.fields["nomination"].choices = [("", "———")] + [(str(n.pk), f"{n.subject} – {n.award}") for n in nominations]

    def clean_nomination(self):
        value = self.cleaned_data.get("nomination")
        return self.nominations.get(value) if value else None


class ReasonForm(NFCFormMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False)
    override_reason = forms.CharField(label=_("Lý do vượt cảnh báo"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                      max_length=2000, help_text=_("Chỉ cần khi có cảnh báo; lý do được lưu lại."))

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


class DecisionForm(NFCFormMixin, forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=50)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    issuer = forms.CharField(label=_("Cấp quyết định"), max_length=200, initial=_("Giám đốc Sở"))


BULK_ACTIONS = [
    (NominationState.VETTED_PASS, _("Thẩm định đạt")),
    (NominationState.VETTED_FAIL, _("Thẩm định không đạt")),
    (NominationState.RETURNED, _("Trả lại đơn vị")),
]


class BulkVetForm(NFCFormMixin, forms.Form):
    action = forms.ChoiceField(label=_("Thao tác"), choices=BULK_ACTIONS)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False,
                             help_text=_("Bắt buộc khi không đạt hoặc trả lại."))
    override_reason = forms.CharField(label=_("Lý do vượt cảnh báo"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                      max_length=2000)

    def clean(self):
        cleaned = super().clean()
        move = NOMINATION_WORKFLOW.find(NominationState.SUBMITTED, cleaned.get("action"))
        if move is not None and move.reason_required and not cleaned.get("reason"):
            self.add_error("reason", move.reason_message)
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Dùng tệp mẫu; tối đa %(size)s.") % {"size": fmt_size(import_max_bytes())}


class ImportConfirmForm(NFCFormMixin, forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    override_reason = forms.CharField(label=_("Lý do vượt cảnh báo"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                      max_length=2000)

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not token.isalnum():
            raise forms.ValidationError(_("Phiên nhập không hợp lệ."))
        return token


class AwardRecordForm(NFCFormMixin, forms.Form):
    subject_kind = forms.ChoiceField(label=_("Đối tượng"), choices=[(SubjectKind.PERSON, _("Cá nhân")), (SubjectKind.UNIT, _("Tập thể"))],
                                     widget=forms.RadioSelect, initial=SubjectKind.PERSON)
    person = PersonChoiceField(label=_("Cá nhân"), queryset=Person.objects.select_related("unit"), required=False, empty_label="———")
    unit = forms.ModelChoiceField(label=_("Tập thể"), queryset=Unit.objects.all(), required=False, empty_label="———")
    award = forms.ChoiceField(label=_("Danh hiệu / Hình thức"), choices=())
    year = forms.IntegerField(label=_("Năm thành tích"), min_value=1990, max_value=2100)
    kind = forms.ChoiceField(label=_("Loại khen thưởng"), choices=AwardType.choices, initial=AwardType.ANNUAL)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=50, required=False)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DateInput(), required=False)
    issuer = forms.CharField(label=_("Cấp quyết định"), max_length=200, required=False)
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = award_choices()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("subject_kind") == SubjectKind.PERSON:
            cleaned["unit"] = None
            if not cleaned.get("person"):
                self.add_error("person", _("Hãy chọn cá nhân."))
        else:
            cleaned["person"] = None
            if not cleaned.get("unit"):
                self.add_error("unit", _("Hãy chọn tập thể."))
        if cleaned.get("award"):
            cleaned.update(split_award(cleaned.pop("award")))
        cleaned.pop("subject_kind", None)
        return cleaned


class DeleteReasonForm(NFCFormMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do xoá"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class InitiativeForm(NFCFormMixin, forms.Form):
    person = PersonChoiceField(label=_("Cá nhân"), queryset=Person.objects.select_related("unit"), empty_label="———")
    title = forms.CharField(label=_("Tên sáng kiến, đề tài"), max_length=500)
    kind = forms.ChoiceField(label=_("Loại"), choices=InitiativeKind.choices)
    scope = forms.ChoiceField(label=_("Phạm vi ảnh hưởng"), choices=InitiativeScope.choices)
    year = forms.IntegerField(label=_("Năm công nhận"), min_value=1990, max_value=2100, initial=lambda: datetime.date.today().year)
    recognised_on = forms.DateField(label=_("Ngày công nhận, nghiệm thu"), widget=DateInput(), required=False)
    decision_number = forms.CharField(label=_("Số quyết định, biên bản"), max_length=50, required=False)


# ---------------------------------------------------------------- filters

class NominationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo tên"), method="filter_q")
    round = django_filters.ModelChoiceFilter(label=_("Đợt"), queryset=NominationRound.objects.only("id", "name"),
                                             empty_label=_("Tất cả các đợt"))  # a choice shows the name
    unit = django_filters.ModelChoiceFilter(label=_("Đơn vị đề nghị"), queryset=Unit.objects.none(), method="filter_unit",
                                            empty_label=_("Tất cả đơn vị"))
    state = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=NominationState.choices, empty_label=_("Tất cả"))
    award = django_filters.ChoiceFilter(label=_("Danh hiệu / Hình thức"), choices=(), method="filter_award", empty_label=_("Tất cả"))
    subject = django_filters.ChoiceFilter(label=_("Đối tượng"), choices=[("person", _("Cá nhân")), ("unit", _("Tập thể"))],
                                          method="filter_subject", empty_label=_("Tất cả"))
    flagged = django_filters.ChoiceFilter(label=_("Thay đổi sau khi gửi"), choices=[("co", _("Có thay đổi sau khi gửi"))],
                                          method="filter_flagged", empty_label=_("Tất cả"))

    def __init__(self, *args, units, show_flags=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units
        self.filters["award"].extra["choices"] = [c for group in award_choices()[1:] for c in group[1]]
        if not show_flags:  # the flags are the office's (``nominations.facts``)
            del self.filters["flagged"]

    def filter_flagged(self, queryset, name, value):
        return queryset.exclude(facts_flag="") if value == "co" else queryset

    def filter_unit(self, queryset, name, value):
        # the proposing unit, and its copy that picks the list's index (``Nomination.list_unit``)
        return queryset.filter(submission__unit=value, list_unit=value.pk)

    def filter_q(self, queryset, name, value):
        folded = fold(value)
        return queryset.filter(Q(person__name_folded__contains=folded) | Q(unit__name__icontains=value))

    def filter_award(self, queryset, name, value):
        award = split_award(value)
        return queryset.filter(title=award["title"]) if award["title"] else queryset.filter(form=award["form"])

    def filter_subject(self, queryset, name, value):
        return queryset.filter(person__isnull=value != "person")


class AwardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo tên"), method="filter_q")
    year = django_filters.NumberFilter(label=_("Năm"))
    kind = django_filters.ChoiceFilter(label=_("Loại khen thưởng"), choices=AwardType.choices, empty_label=_("Tất cả"))
    award = django_filters.ChoiceFilter(label=_("Danh hiệu / Hình thức"), choices=(), method="filter_award", empty_label=_("Tất cả"))
    unit = django_filters.ModelChoiceFilter(label=_("Đơn vị"), queryset=Unit.objects.none(), method="filter_unit",
                                            empty_label=_("Tất cả đơn vị"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units
        self.filters["award"].extra["choices"] = [c for group in award_choices()[1:] for c in group[1]]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(person__name_folded__contains=fold(value)) | Q(unit__name__icontains=value))

    def filter_award(self, queryset, name, value):
        award = split_award(value)
        return queryset.filter(title=award["title"]) if award["title"] else queryset.filter(form=award["form"])

    def filter_unit(self, queryset, name, value):
        return queryset.filter(Q(person__unit=value) | Q(unit=value))
