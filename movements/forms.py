import datetime
from decimal import Decimal

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tdkt.forms import DateInput, NFCFormMixin

from .enums import (
    CampaignDocumentKind,
    CampaignKind,
    CampaignLevel,
    CampaignStatus,
    CriterionKind,
    DisciplineKind,
    Gender,
    HistoryChangeState,
    Rating,
    RegistrationState,
    UnitKind,
)
from .models import SCORE_MAX_CHARS, AgencyProfile, Unit, format_score, parse_score
from .selectors import campaigns_filter, persons_search


class UnitForm(NFCFormMixin, forms.Form):
    name = forms.CharField(label=_("Tên đơn vị"), max_length=200)
    short_code = forms.CharField(label=_("Mã viết tắt"), max_length=20, help_text=_("Ví dụ: VP, TTra, QLKH"))
    kind = forms.ChoiceField(label=_("Loại đơn vị"), choices=UnitKind.choices)
    parent = forms.ModelChoiceField(label=_("Đơn vị cấp trên"), queryset=Unit.objects.none(), required=False)
    sort_order = forms.IntegerField(label=_("Thứ tự hiển thị"), min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.filter(active=True)


class PersonForm(NFCFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=Gender.choices)
    date_of_birth = forms.DateField(label=_("Ngày sinh"), required=False, widget=DateInput())


class PersonCreateForm(PersonForm):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    position_title = forms.CharField(label=_("Chức vụ"), max_length=150, required=False,
                                     help_text=_("Ví dụ: Trưởng phòng, Phó Giám đốc, Chuyên viên"))
    is_leadership = forms.BooleanField(label=_("Giữ chức vụ lãnh đạo, quản lý"), required=False)
    is_head = forms.BooleanField(label=_("Là người đứng đầu đơn vị"), required=False)
    start_date = forms.DateField(label=_("Giữ chức vụ từ ngày"), widget=DateInput(), initial=datetime.date.today)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(active=True)
        if units.count() == 1:
            self.fields["unit"].initial = units.first()


BACKDATED_NEEDS_APPROVAL = _("Ngày trước hôm nay: thay đổi được gửi Văn phòng Sở duyệt (cần ghi lý do, căn cứ) và chỉ có "
                             "hiệu lực khi được duyệt.")


class PositionForm(NFCFormMixin, forms.Form):
    """A change of post. A date before today needs a reason: the office's backdated change is audited with it, a unit
    head's becomes a change request to the office (``backdating_needs_approval``)."""

    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Chức vụ mới"), max_length=150, required=False)
    is_leadership = forms.BooleanField(label=_("Giữ chức vụ lãnh đạo, quản lý"), required=False)
    is_head = forms.BooleanField(label=_("Là người đứng đầu đơn vị"), required=False)
    start_date = forms.DateField(label=_("Từ ngày"), widget=DateInput(), initial=datetime.date.today)
    reason = forms.CharField(label=_("Căn cứ (quyết định bổ nhiệm, điều động…)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def __init__(self, *args, units, backdating_needs_approval=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(active=True)
        if backdating_needs_approval:
            self.fields["start_date"].help_text = BACKDATED_NEEDS_APPROVAL

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start_date")
        if start and start < datetime.date.today() and not cleaned.get("reason"):
            self.add_error("reason", _("Ngày nhận chức vụ đã qua: hãy ghi căn cứ, lý do của thay đổi lùi ngày."))
        return cleaned


class DeactivateForm(NFCFormMixin, forms.Form):
    date = forms.DateField(label=_("Ngày cuối công tác"), widget=DateInput(), initial=datetime.date.today,
                           help_text=_("Khi kích hoạt lại, ngày bắt đầu phải sau ngày này."))
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                             help_text=_("Ví dụ: nghỉ hưu, chuyển công tác"))

    def __init__(self, *args, backdating_needs_approval=False, **kwargs):
        super().__init__(*args, **kwargs)
        if backdating_needs_approval:
            self.fields["date"].help_text = BACKDATED_NEEDS_APPROVAL


class RatingForm(NFCFormMixin, forms.Form):
    """A yearly rating. Correcting a stored rating of a past year is a backdated change: it needs a reason."""

    year = forms.IntegerField(label=_("Năm"), min_value=1990, max_value=2100)
    rating = forms.ChoiceField(label=_("Xếp loại"), choices=Rating.choices)
    reason = forms.CharField(label=_("Lý do điều chỉnh"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=1000, help_text=_("Bắt buộc khi sửa xếp loại đã có của một năm đã qua."))

    def __init__(self, *args, stored=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored = stored or {}  # {year: rating} of the subject

    def clean(self):
        cleaned = super().clean()
        year, rating = cleaned.get("year"), cleaned.get("rating")
        old = self.stored.get(year)
        if year and year < datetime.date.today().year and old and old != rating and not cleaned.get("reason"):
            self.add_error("reason", _("Xếp loại năm %(year)s đã có (%(old)s): hãy ghi lý do điều chỉnh.")
                           % {"year": year, "old": Rating(old).label})
        return cleaned


class HistoryChangeFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Trạng thái"), required=False,
                              choices=[("", _("Tất cả"))] + list(HistoryChangeState.choices))


class DisciplineForm(NFCFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=DisciplineKind.choices)
    start_date = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    end_date = forms.DateField(label=_("Đến ngày"), widget=DateInput(), required=False,
                               help_text=_("Để trống nếu chưa kết thúc."))
    reason = forms.CharField(label=_("Lý do, căn cứ"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AgencyProfileForm(NFCFormMixin, forms.ModelForm):
    class Meta:
        model = AgencyProfile
        fields = ["name", "parent_name", "doc_code", "place_name", "director_title", "director_name",
                  # the giấy khen on the pre-printed form (part: docs, issue 11)
                  "cert_print_frame", "cert_name_x", "cert_name_y", "cert_unit_x", "cert_unit_y", "cert_reason_x",
                  "cert_reason_y", "cert_decision_x", "cert_decision_y", "cert_signer_x", "cert_signer_y",
                  "signature_image", "seal_image", "seal_size_mm"]  # issue 12
        widgets = {"signature_image": forms.FileInput(attrs={"accept": "image/png"}),
                   "seal_image": forms.FileInput(attrs={"accept": "image/png"})}


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo tên, chức vụ"), method="filter_q")
    unit = django_filters.ModelChoiceFilter(label=_("Đơn vị"), queryset=Unit.objects.none())
    is_leadership = django_filters.BooleanFilter(label=_("Lãnh đạo, quản lý"),
                                                 widget=forms.Select(choices=[("", "Tất cả"), ("true", "Có"), ("false", "Không")]))
    gender = django_filters.ChoiceFilter(label=_("Giới tính"), choices=Gender.choices, empty_label=_("Tất cả"))
    active = django_filters.BooleanFilter(label=_("Tình trạng"),
                                          widget=forms.Select(choices=[("", "Tất cả"), ("true", "Đang công tác"), ("false", "Đã nghỉ")]))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units
        self.filters["unit"].extra["empty_label"] = _("Tất cả đơn vị")

    def filter_q(self, queryset, name, value):
        return persons_search(queryset, q=value)


# ================================================================ campaigns

def _year_field(label, **kwargs):
    return forms.IntegerField(label=label, min_value=1990, max_value=2100, **kwargs)


class CampaignForm(NFCFormMixin, forms.Form):
    name = forms.CharField(label=_("Tên phong trào"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    level = forms.ChoiceField(label=_("Cấp phát động"), choices=CampaignLevel.choices)
    kind = forms.ChoiceField(label=_("Loại phong trào"), choices=CampaignKind.choices)
    start_year = _year_field(_("Từ năm"))
    end_year = _year_field(_("Đến năm"))
    lead_unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=Unit.objects.none(), required=False,
                                       empty_label=_("— Không có / cấp khác chủ trì —"))
    description = forms.CharField(label=_("Mô tả, mục tiêu"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                  max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = Unit.objects.filter(active=True)

    def clean(self):
        cleaned = super().clean()
        # The name is a single line even if typed in a textarea.
        if cleaned.get("name"):
            cleaned["name"] = " ".join(cleaned["name"].split())
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("Năm kết thúc phải từ năm bắt đầu trở đi."))
        return cleaned


class CampaignTransitionForm(NFCFormMixin, forms.Form):
    date = forms.DateField(label=_("Ngày"), widget=DateInput(), initial=datetime.date.today)
    reason = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class CampaignDocumentForm(NFCFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=CampaignDocumentKind.choices)
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=50, required=False, help_text=_("Ví dụ: 15/KH-SKHCN"))
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DateInput(), required=False)
    file = forms.FileField(label=_("Tệp đính kèm"), required=False,
                           help_text=_("PDF, DOCX, XLSX hoặc ảnh PNG/JPG, tối đa 10 MB."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}))


class CampaignFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo tên"), method="filter_all")
    level = django_filters.ChoiceFilter(label=_("Cấp phát động"), choices=CampaignLevel.choices, empty_label=_("Tất cả"),
                                        method="filter_all")
    kind = django_filters.ChoiceFilter(label=_("Loại"), choices=CampaignKind.choices, empty_label=_("Tất cả"), method="filter_all")
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=CampaignStatus.choices, empty_label=_("Tất cả"),
                                         method="filter_all")
    year = django_filters.NumberFilter(label=_("Năm"), method="filter_all", min_value=1990, max_value=2100)

    def filter_all(self, queryset, name, value):
        return campaigns_filter(queryset, **{name: value})


# ================================================================ registration

class RegistrationWindowForm(NFCFormMixin, forms.Form):
    year = _year_field(_("Năm đăng ký"))
    opens_on = forms.DateField(label=_("Mở từ ngày"), widget=DateInput())
    closes_on = forms.DateField(label=_("Hạn cuối"), widget=DateInput(),
                                help_text=_("Sau ngày này đơn vị không gửi phiếu mới được; Văn phòng vẫn trả lại, duyệt được."))
    required_for_nomination = forms.BooleanField(label=_("Bắt buộc đăng ký trước khi đề nghị khen thưởng"), required=False,
                                                 initial=True)
    note = forms.CharField(label=_("Ghi chú, căn cứ"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["year"].disabled = True

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("Hạn cuối phải từ ngày mở trở đi."))
        return cleaned


class RegistrationForm(NFCFormMixin, forms.Form):
    """The unit's collective title, then one select per member (field ``person_<id>``)."""

    unit_title = forms.ModelChoiceField(label=_("Danh hiệu tập thể đăng ký"), queryset=None, required=False,
                                        empty_label=_("— Không đăng ký danh hiệu tập thể —"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, members, unit_titles, person_titles, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_title"].queryset = unit_titles
        self.members = list(members)
        # One query for the titles, shared by every member's select (not one query per member).
        self._titles = {str(t.pk): t for t in person_titles}
        choices = [("", _("— Không đăng ký —"))] + [(pk, t.name) for pk, t in self._titles.items()]
        for person in self.members:
            chosen = current.get(person.pk)
            self.fields[f"person_{person.pk}"] = forms.ChoiceField(
                label=person.full_name, choices=choices, required=False,
                initial=str(getattr(chosen, "pk", chosen)) if chosen else "")

    def member_rows(self):
        return [(person, self[f"person_{person.pk}"]) for person in self.members]

    def member_choices(self):
        """The choices of “áp dụng cho tất cả”: those of every member's select (the empty one clears them all)."""
        return [("", _("— Bỏ đăng ký của mọi người —"))] + [(pk, t.name) for pk, t in self._titles.items()]

    def titles(self):
        return {person: self._titles.get(self.cleaned_data.get(f"person_{person.pk}") or "") for person in self.members}


class InitiativeForm(NFCFormMixin, forms.Form):
    title = forms.CharField(label=_("Tên sáng kiến"), max_length=500)
    owner = forms.ModelChoiceField(label=_("Tác giả"), queryset=None)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class OverviewFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Trạng thái"), required=False,
                              choices=[("", _("Tất cả")), ("none", _("Chưa lập phiếu"))] + list(RegistrationState.choices))


# ================================================================ clusters

class ClusterForm(NFCFormMixin, forms.Form):
    year = _year_field(_("Năm"))
    name = forms.CharField(label=_("Tên cụm, khối thi đua"), max_length=300)
    members = forms.ModelMultipleChoiceField(label=_("Đơn vị thành viên"), queryset=Unit.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    leader_unit = forms.ModelChoiceField(label=_("Cụm trưởng"), queryset=Unit.objects.none(), required=False)
    deputy_unit = forms.ModelChoiceField(label=_("Cụm phó"), queryset=Unit.objects.none(), required=False)
    pact_number = forms.CharField(label=_("Số giao ước"), max_length=50, required=False)
    pact_signed_on = forms.DateField(label=_("Ngày ký giao ước"), widget=DateInput(), required=False)
    pact_file = forms.FileField(label=_("Tệp giao ước thi đua"), required=False,
                                help_text=_("PDF, DOCX, XLSX hoặc ảnh PNG/JPG, tối đa 10 MB."),
                                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}))
    description = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(active=True).exclude(kind=UnitKind.AGENCY)
        for name in ("members", "leader_unit", "deputy_unit"):
            self.fields[name].queryset = units

    def clean(self):
        cleaned = super().clean()
        members = cleaned.get("members") or []
        leader, deputy = cleaned.get("leader_unit"), cleaned.get("deputy_unit")
        if leader and deputy and leader == deputy:
            self.add_error("deputy_unit", _("Cụm trưởng và cụm phó phải là hai đơn vị khác nhau."))
        if leader and members and leader not in members:
            self.add_error("leader_unit", _("Cụm trưởng phải là đơn vị thành viên của cụm."))
        if deputy and members and deputy not in members:
            self.add_error("deputy_unit", _("Cụm phó phải là đơn vị thành viên của cụm."))
        return cleaned


class SectionForm(NFCFormMixin, forms.Form):
    name = forms.CharField(label=_("Tên nhóm tiêu chí"), max_length=300, help_text=_("Ví dụ: I. Thực hiện nhiệm vụ chuyên môn"))
    order = forms.IntegerField(label=_("Thứ tự"), min_value=1, max_value=99, initial=1)


class CriterionForm(NFCFormMixin, forms.Form):
    section = forms.ModelChoiceField(label=_("Nhóm tiêu chí"), queryset=None)
    name = forms.CharField(label=_("Tiêu chí"), max_length=500)
    max_score = forms.DecimalField(label=_("Điểm tối đa"), max_digits=6, decimal_places=2, min_value=Decimal("0.01"),
                                   localize=True)
    kind = forms.ChoiceField(label=_("Loại"), choices=CriterionKind.choices,
                             help_text=_("Điểm thưởng cộng vào tổng; điểm trừ bị trừ khỏi tổng (nhập số dương)."))
    order = forms.IntegerField(label=_("Thứ tự"), min_value=1, max_value=99, initial=1)

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections


class ScoreSheetForm(NFCFormMixin, forms.Form):
    """Per criterion: ``self_<id>``/``self_note_<id>`` and ``agreed_<id>``/``agreed_note_<id>`` (only the editable ones).

    Scores are plain text boxes: the form refuses anything but a finite decimal (naming the criterion); the service
    checks the range and answers with the criterion's name and maximum.
    """

    def __init__(self, *args, criteria, scores, can_self, can_agree, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria, self.scores, self.can_self, self.can_agree = criteria, scores, can_self, can_agree
        for c in criteria:
            score = scores.get(c.pk)
            if can_self:
                self.fields[f"self_{c.pk}"] = forms.CharField(
                    label=_("Tự chấm: %(name)s") % {"name": c.name}, required=False,
                    initial=format_score(score.self_score) if score else "",
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "score", "maxlength": SCORE_MAX_CHARS}))
                self.fields[f"self_note_{c.pk}"] = forms.CharField(
                    label=_("Minh chứng: %(name)s") % {"name": c.name}, required=False, max_length=500,
                    initial=score.self_note if score else "")
            if can_agree:
                self.fields[f"agreed_{c.pk}"] = forms.CharField(
                    label=_("Điểm thống nhất: %(name)s") % {"name": c.name}, required=False,
                    initial=format_score(score.agreed_score) if score else "",
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "score", "maxlength": SCORE_MAX_CHARS}))
                self.fields[f"agreed_note_{c.pk}"] = forms.CharField(
                    label=_("Ghi chú của cụm: %(name)s") % {"name": c.name}, required=False, max_length=500,
                    initial=score.agreed_note if score else "")

    def clean(self):
        cleaned = super().clean()
        for c in self.criteria:
            for prefix, allowed in (("self", self.can_self), ("agreed", self.can_agree)):
                name = f"{prefix}_{c.pk}"
                if not allowed or name not in cleaned:
                    continue
                try:
                    parse_score(cleaned[name], c)
                except ValidationError as exc:
                    self.add_error(name, exc.messages)
        return cleaned

    def rows(self):
        for c in self.criteria:
            yield {
                "criterion": c,
                "score": self.scores.get(c.pk),
                "self": self[f"self_{c.pk}"] if self.can_self else None,
                "self_note": self[f"self_note_{c.pk}"] if self.can_self else None,
                "agreed": self[f"agreed_{c.pk}"] if self.can_agree else None,
                "agreed_note": self[f"agreed_note_{c.pk}"] if self.can_agree else None,
            }

    def payload(self):
        data = self.cleaned_data
        self_scores = {c.pk: (data.get(f"self_{c.pk}", ""), data.get(f"self_note_{c.pk}", "")) for c in self.criteria} \
            if self.can_self else None
        agreed_scores = {c.pk: (data.get(f"agreed_{c.pk}", ""), data.get(f"agreed_note_{c.pk}", "")) for c in self.criteria} \
            if self.can_agree else None
        return {"self_scores": self_scores, "agreed_scores": agreed_scores}


class AcclamationForm(NFCFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị được suy tôn"), queryset=None)
    award = forms.ChoiceField(label=_("Đề nghị khen thưởng"))
    meeting_date = forms.DateField(label=_("Ngày họp bình xét, suy tôn"), widget=DateInput())
    minutes_number = forms.CharField(label=_("Số biên bản"), max_length=50, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, units, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.awards = {f"{kind}:{obj.pk}": (kind, obj) for kind, obj in awards}
        self.fields["award"].choices = [(key, str(obj)) for key, (_kind, obj) in self.awards.items()]

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        kind, obj = self.awards[data.pop("award")]
        data["title" if kind == "title" else "form"] = obj
        return data


# polish (issue 13): a unit's accounts, created by the office from the unit page.
class AccountCreateForm(NFCFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("Tên đăng nhập"), max_length=150, regex=r"^[A-Za-z0-9._-]+$",
        error_messages={"invalid": _("Tên đăng nhập chỉ gồm chữ không dấu, chữ số và các dấu . _ -")},
        help_text=_("Chữ không dấu, chữ số, dấu . _ -; ví dụ: qlkh.vanthu"))
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), help_text=_(
        "Người dùng nhận tại địa chỉ này một liên kết để tự đặt mật khẩu (không ai khác biết mật khẩu)."))
