"""Forms of the councils app. Text is NFC-normalised; every business check lives in the models and the services
(``councils.services``), whose refusals the views put back onto these forms."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from movements.api import Person, Unit
from nominations.api import CommendationForm, EmulationTitle, NominationRound
from tdkt.forms import DateInput, NFCFormMixin
from tdkt.roles import may_sit_on_council

from .enums import (
    AttendanceStatus,
    Choice,
    CouncilPosition,
    MeetingKind,
    MeetingState,
    SignerPrefix,
    ThresholdComparison,
    VotingBase,
    VotingMethod,
)
from .models import CouncilMember, Meeting

COMMENT_MAX = 2000


# ---------------------------------------------------------------- awards: "t:<id>" (a title) or "f:<id>" (a form)

def award_choices(empty_label="———"):
    """The emulation titles and commendation forms as grouped choices ``t:<id>`` / ``f:<id>``."""
    titles = [(f"t:{t.pk}", t.name) for t in EmulationTitle.objects.filter(active=True).order_by("sort_order", "name")]
    awards = [(f"f:{f.pk}", f.name) for f in CommendationForm.objects.filter(active=True).order_by("sort_order", "name")]
    return [("", empty_label), (str(_("Danh hiệu thi đua")), titles), (str(_("Hình thức khen thưởng")), awards)]


def award_key(award):
    """``t:<id>`` / ``f:<id>`` of a title or a form (``""`` for none)."""
    if award is None:
        return ""
    return f"t:{award.pk}" if isinstance(award, EmulationTitle) else f"f:{award.pk}"


def award_from_key(value):
    """The title or form named by ``t:<id>`` / ``f:<id>``, or ``None`` (unknown, malformed or empty)."""
    kind, _sep, pk = (value or "").partition(":")
    model = {"t": EmulationTitle, "f": CommendationForm}.get(kind)
    if model is None or not pk.isdigit() or len(pk) > 12:
        return None
    return model.objects.filter(pk=pk).first()


# ---------------------------------------------------------------- the council and its members

class CouncilForm(NFCFormMixin, forms.Form):
    name = forms.CharField(label=_("Tên Hội đồng"), max_length=300,
                           initial=_("Hội đồng Thi đua – Khen thưởng"))
    decision_number = forms.CharField(label=_("Số quyết định thành lập"), max_length=50, help_text=_("Ví dụ: 15/QĐ-SKHCN"))
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    term_start = forms.DateField(label=_("Nhiệm kỳ từ"), widget=DateInput())
    term_end = forms.DateField(label=_("Nhiệm kỳ đến"), widget=DateInput(), required=False)
    active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True,
                                help_text=_("Mỗi thời điểm chỉ có một Hội đồng đang hoạt động."))
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class SeatUserField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.username}, {obj.get_role_display()})"


class SeatPersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parts = [obj.full_name, obj.position_title, obj.unit.short_code if obj.unit_id else ""]
        return " – ".join(p for p in parts if p)


def seat_users():
    """Accounts that may hold a seat (``tdkt.roles.may_sit_on_council``: council and office accounts, active)."""
    users = get_user_model().objects.filter(is_active=True).order_by("full_name", "username")
    return get_user_model().objects.filter(pk__in=[u.pk for u in users if may_sit_on_council(u)]).order_by("full_name", "username")


class MemberForm(NFCFormMixin, forms.Form):
    """A seat. On a new seat: the account and the person; afterwards they stay (a new person is a new seat)."""

    user = SeatUserField(label=_("Tài khoản đăng nhập"), queryset=get_user_model().objects.none(), empty_label="———",
                         help_text=_("Tài khoản Hội đồng (hoặc tài khoản Văn phòng của thư ký) mà thành viên dùng để đăng nhập."))
    person = SeatPersonField(label=_("Cá nhân"), queryset=Person.objects.none(), empty_label="———",
                             help_text=_("Để biết đơn vị và chức vụ của thành viên (xét việc không tham gia xét)."))
    position = forms.ChoiceField(label=_("Chức danh trong Hội đồng"), choices=CouncilPosition.choices, initial=CouncilPosition.MEMBER)
    votes = forms.BooleanField(label=_("Có quyền biểu quyết"), required=False, initial=True,
                               help_text=_("Theo Quy chế của Hội đồng; chỉ Thư ký có thể không biểu quyết."))
    sort_order = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=32000, required=False,
                                    help_text=_("Để trống: xếp sau thành viên cuối."))
    active = forms.BooleanField(label=_("Đang là thành viên"), required=False, initial=True,
                                help_text=_("Bỏ chọn khi thành viên thôi tham gia Hội đồng (các phiên họp đã triệu tập vẫn giữ tên)."))

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        if member is None:
            self.fields["user"].queryset = seat_users()
            self.fields["person"].queryset = Person.objects.filter(active=True).select_related("unit").order_by("full_name")
            del self.fields["active"]
        else:
            del self.fields["user"], self.fields["person"]
            self.fields["sort_order"].required = True

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        if data.get("sort_order") is None:
            data.pop("sort_order", None)
        return data


# ---------------------------------------------------------------- voting rules

class VotingRuleForm(NFCFormMixin, forms.Form):
    name = forms.CharField(label=_("Tên quy tắc"), max_length=200)
    award = forms.ChoiceField(label=_("Áp dụng cho"), required=False,
                              help_text=_("Để trống: quy tắc chung cho mọi danh hiệu, hình thức chưa có quy tắc riêng."))
    method = forms.ChoiceField(label=_("Hình thức biểu quyết"), choices=VotingMethod.choices)
    base = forms.ChoiceField(label=_("Tính tỷ lệ trên"), choices=VotingBase.choices,
                             help_text=_("Thành viên không tham gia xét luôn được trừ khỏi mẫu số."))
    threshold = forms.DecimalField(label=_("Tỷ lệ đồng ý (%)"), max_digits=5, decimal_places=2, min_value=0, max_value=100)
    comparison = forms.ChoiceField(label=_("So sánh"), choices=ThresholdComparison.choices)
    quorum_numerator = forms.IntegerField(label=_("Số thành viên có mặt tối thiểu: tử số"), min_value=1, max_value=100)
    quorum_denominator = forms.IntegerField(label=_("Mẫu số"), min_value=1, max_value=100,
                                            help_text=_("Ví dụ 2/3: cần có mặt ít nhất hai phần ba số thành viên (làm tròn lên)."))
    written_opinions_count = forms.BooleanField(label=_("Tính ý kiến bằng văn bản của thành viên vắng mặt"), required=False)
    allows_abstention = forms.BooleanField(label=_("Có lựa chọn “không biểu quyết”"), required=False)
    legal_basis = forms.CharField(label=_("Căn cứ"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                                  help_text=_("Ví dụ: Quy chế hoạt động của Hội đồng Thi đua – Khen thưởng Sở, điều …"))
    description = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000)
    effective_from = forms.DateField(label=_("Áp dụng từ ngày"), widget=DateInput())
    effective_to = forms.DateField(label=_("Đến ngày"), widget=DateInput(), required=False)
    active = forms.BooleanField(label=_("Đang áp dụng"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = award_choices(empty_label=str(_("— Quy tắc chung —")))

    def clean_award(self):
        value = self.cleaned_data.get("award")
        if not value:
            return None
        award = award_from_key(value)
        if award is None:
            raise forms.ValidationError(_("Danh hiệu, hình thức không hợp lệ."))
        return award

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        award = data.pop("award")
        data["title"] = award if isinstance(award, EmulationTitle) else None
        data["form"] = award if isinstance(award, CommendationForm) else None
        return data

    @staticmethod
    def initial_of(rule):
        names = [name for name in VotingRuleForm.base_fields if name != "award"]
        return {**{name: getattr(rule, name) for name in names}, "award": award_key(rule.award)}


# ---------------------------------------------------------------- meetings

class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.full_name} – {obj.get_position_display()}"


class MeetingForm(NFCFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=MeetingKind.choices, widget=forms.RadioSelect, initial=MeetingKind.SITTING)
    title = forms.CharField(label=_("Nội dung phiên họp"), max_length=300,
                            help_text=_("Ví dụ: Phiên họp xét khen thưởng tổng kết năm 2025"))
    date = forms.DateField(label=_("Ngày họp / ngày gửi lấy ý kiến"), widget=DateInput(),
                           help_text=_("Quy tắc biểu quyết đang áp dụng vào ngày này được dùng."))
    start_time = forms.TimeField(label=_("Giờ họp"), required=False, widget=forms.TimeInput(attrs={"placeholder": "08:00"}, format="%H:%M"),
                                 help_text=_("Họp trực tiếp."))
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False, help_text=_("Họp trực tiếp."))
    deadline = forms.DateTimeField(label=_("Hạn trả lời"), required=False,
                                   widget=forms.DateTimeInput(attrs={"placeholder": "dd/mm/yyyy hh:mm"}, format="%d/%m/%Y %H:%M"),
                                   help_text=_("Lấy ý kiến bằng văn bản: thành viên trả lời trước thời điểm này."))
    chair = MemberChoiceField(label=_("Chủ trì"), queryset=CouncilMember.objects.none(), empty_label="———")
    secretary = MemberChoiceField(label=_("Thư ký"), queryset=CouncilMember.objects.none(), empty_label="———")
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)

    def __init__(self, *args, council, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = CouncilMember.objects.filter(council=council, active=True).select_related("person")
        if meeting is not None:  # a member who has left stays selectable where the meeting already names them
            members = CouncilMember.objects.filter(council=council).filter(
                pk__in=[m.pk for m in members] + [meeting.chair_id, meeting.secretary_id]).select_related("person")
            del self.fields["kind"]
        self.fields["chair"].queryset = members
        self.fields["secretary"].queryset = members
        self.meeting = meeting

    @property
    def kind_value(self):
        if self.meeting is not None:
            return self.meeting.kind
        return self.cleaned_data.get("kind") if hasattr(self, "cleaned_data") else None

    def clean(self):
        cleaned = super().clean()
        if self.kind_value == MeetingKind.WRITTEN:
            cleaned["start_time"], cleaned["place"] = None, ""
        else:
            cleaned["deadline"] = None
        return cleaned


class MeetingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo nội dung"), field_name="title", lookup_expr="icontains")
    state = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=MeetingState.choices, empty_label=_("Tất cả"))
    kind = django_filters.ChoiceFilter(label=_("Hình thức"), choices=MeetingKind.choices, empty_label=_("Tất cả"))
    year = django_filters.NumberFilter(label=_("Năm"), field_name="date", lookup_expr="year")

    class Meta:
        model = Meeting
        fields = []


class AttendanceForm(forms.Form):
    """One status (and a short note) per member on the roll."""

    def __init__(self, *args, roll, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for attendance in roll:
            key = attendance.member_id
            self.fields[f"status_{key}"] = forms.ChoiceField(
                label=attendance.member.person.full_name, choices=AttendanceStatus.choices, widget=forms.RadioSelect,
                initial=attendance.status)
            self.fields[f"note_{key}"] = forms.CharField(label=_("Ghi chú"), max_length=300, required=False, initial=attendance.note)
            self.rows.append((attendance, f"status_{key}", f"note_{key}"))

    def bound_rows(self):
        return [(attendance, self[status], self[note]) for attendance, status, note in self.rows]

    def statuses(self):
        return {attendance.member_id: self.cleaned_data[status] for attendance, status, _note in self.rows}

    def notes(self):
        return {attendance.member_id: self.cleaned_data[note] for attendance, _status, note in self.rows}

    def preview_statuses(self):
        """The statuses as typed so far (the live quorum), unknown values ignored."""
        found = {}
        for attendance, status, _note in self.rows:
            value = self.data.get(self.add_prefix(status))
            if value in AttendanceStatus.values:
                found[attendance.member_id] = value
        return found


class AgendaFilter(forms.Form):
    """What the agenda builder lists: vetted nominations of one round, title or form, or proposing unit."""

    round = forms.ModelChoiceField(label=_("Đợt đề nghị"), queryset=NominationRound.objects.order_by("-year", "-id"), required=False,
                                   empty_label=_("Tất cả các đợt"))
    award = forms.ChoiceField(label=_("Danh hiệu / Hình thức"), required=False)
    unit = forms.ModelChoiceField(label=_("Đơn vị đề nghị"), queryset=Unit.objects.filter(active=True).order_by("sort_order", "name"),
                                  required=False, empty_label=_("Tất cả đơn vị"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = award_choices(empty_label=str(_("Tất cả")))

    def selector_kwargs(self):
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        award = award_from_key(data.get("award"))
        return {"nomination_round": data.get("round"), "unit": data.get("unit"),
                "title": award if isinstance(award, EmulationTitle) else None,
                "form": award if isinstance(award, CommendationForm) else None}


# ---------------------------------------------------------------- reasons, recusals, comments

class ReasonForm(NFCFormMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, required=True, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if label:
            self.fields["reason"].label = label


class RecusalForm(NFCFormMixin, forms.Form):
    member = MemberChoiceField(label=_("Thành viên"), queryset=CouncilMember.objects.none(), empty_label="———")
    reason = forms.CharField(label=_("Lý do không tham gia xét"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class CommentForm(NFCFormMixin, forms.Form):
    text = forms.CharField(label=_("Ý kiến của bạn cho phiên họp"), widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX}),
                           max_length=COMMENT_MAX)


# ---------------------------------------------------------------- votes

def choice_options(allows_abstention):
    return [(value, label) for value, label in Choice.choices if allows_abstention or value != Choice.ABSTAIN]


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Lựa chọn"), choices=Choice.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("Hãy chọn đồng ý hoặc không đồng ý.")})

    def __init__(self, *args, allows_abstention=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = choice_options(allows_abstention)


class WrittenOpinionForm(forms.Form):
    member = MemberChoiceField(label=_("Thành viên vắng mặt có ý kiến bằng văn bản"), queryset=CouncilMember.objects.none(),
                               empty_label="———")
    choice = forms.ChoiceField(label=_("Ý kiến"), choices=Choice.choices, widget=forms.RadioSelect)

    def __init__(self, *args, members, allows_abstention=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["choice"].choices = choice_options(allows_abstention)


class PaperForm(forms.Form):
    yes = forms.IntegerField(label=_("Số phiếu đồng ý"), min_value=0, max_value=1000)
    no = forms.IntegerField(label=_("Số phiếu không đồng ý"), min_value=0, max_value=1000)
    abstain = forms.IntegerField(label=_("Số phiếu không biểu quyết"), min_value=0, max_value=1000, initial=0)

    def __init__(self, *args, allows_abstention=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allows_abstention:
            del self.fields["abstain"]

    def counts(self):
        data = self.cleaned_data
        return {"yes": data["yes"], "no": data["no"], "abstain": data.get("abstain") or 0}


# ---------------------------------------------------------------- decisions and tờ trình (issue 11)

class DecisionDateForm(NFCFormMixin, forms.Form):
    date = forms.DateField(label=_("Ngày quyết định, tờ trình"), widget=DateInput(),
                           help_text=_("Tiền thưởng tính theo lương cơ sở áp dụng vào ngày này."))


class RoundDecisionForm(DecisionDateForm):
    nomination_round = forms.ModelChoiceField(label=_("Đợt khen thưởng đột xuất"), queryset=NominationRound.objects.none(),
                                              empty_label="———")

    def __init__(self, *args, rounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination_round"].queryset = rounds if rounds is not None else NominationRound.objects.none()
        self.order_fields(["nomination_round", "date"])


def _lines_field(label, help_text):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, required=False,
                           help_text=help_text)


class SignerFields(forms.Form):
    signer_prefix = forms.ChoiceField(label=_("Quyền hạn ký"), choices=SignerPrefix.choices, required=False)
    signer_authority = forms.CharField(label=_("Chức vụ người đứng đầu"), max_length=100, required=False,
                                       help_text=_("Sau “KT.”, “TM.”, “Q.”: ví dụ Giám đốc."))
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=100)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=150)


class DecisionForm(NFCFormMixin, SignerFields):
    date = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    subject = forms.CharField(label=_("Trích yếu"), max_length=300)
    bases = _lines_field(_("Căn cứ"), _("Mỗi dòng một căn cứ."))
    article1 = forms.CharField(label=_("Điều 1"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    article2 = forms.CharField(label=_("Điều 2"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False)
    article3 = forms.CharField(label=_("Điều 3"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False)
    recipients = _lines_field(_("Nơi nhận"), _("Mỗi dòng một nơi nhận; dòng cuối: Lưu: VT, …"))

    field_order = ["date", "subject", "signer_prefix", "signer_authority", "signer_position", "signer_name", "bases", "article1",
                   "article2", "article3", "recipients"]

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["bases"] = data["bases"].splitlines()
        data["recipients"] = data["recipients"].splitlines()
        return data


class ProposalForm(NFCFormMixin, SignerFields):
    date = forms.DateField(label=_("Ngày tờ trình"), widget=DateInput())
    subject = forms.CharField(label=_("Trích yếu"), max_length=300)
    addressee = forms.CharField(label=_("Kính gửi"), max_length=300)
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    recipients = _lines_field(_("Nơi nhận"), _("Mỗi dòng một nơi nhận."))

    field_order = ["date", "subject", "addressee", "signer_prefix", "signer_authority", "signer_position", "signer_name", "body",
                   "recipients"]

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["recipients"] = data["recipients"].splitlines()
        return data


class ProvinceDecisionForm(NFCFormMixin, forms.Form):
    issuer = forms.CharField(label=_("Cấp quyết định"), max_length=200, initial=_("Chủ tịch UBND tỉnh"))
    number = forms.CharField(label=_("Số quyết định"), max_length=50)
    date = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    upload = forms.FileField(label=_("Bản quét quyết định (PDF, ảnh)"))
    passed = forms.MultipleChoiceField(label=_("Được khen thưởng"), widget=forms.CheckboxSelectMultiple, choices=())

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["passed"].choices = [(str(line.pk), str(line.nomination)) for line in lines]
        self.fields["passed"].initial = [str(line.pk) for line in lines]
