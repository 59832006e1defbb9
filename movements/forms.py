import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from tdkt.forms import DateInput, NFCFormMixin

from .enums import DisciplineKind, Gender, Rating, UnitKind
from .models import AgencyProfile, Unit


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


class PositionForm(NFCFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Chức vụ mới"), max_length=150, required=False)
    is_leadership = forms.BooleanField(label=_("Giữ chức vụ lãnh đạo, quản lý"), required=False)
    is_head = forms.BooleanField(label=_("Là người đứng đầu đơn vị"), required=False)
    start_date = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    reason = forms.CharField(label=_("Căn cứ (quyết định bổ nhiệm, điều động…)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(active=True)


class DeactivateForm(NFCFormMixin, forms.Form):
    date = forms.DateField(label=_("Nghỉ từ ngày"), widget=DateInput(), initial=datetime.date.today)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                             help_text=_("Ví dụ: nghỉ hưu, chuyển công tác"))


class RatingForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=1990, max_value=2100)
    rating = forms.ChoiceField(label=_("Xếp loại"), choices=Rating.choices)


class DisciplineForm(NFCFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=DisciplineKind.choices)
    start_date = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    end_date = forms.DateField(label=_("Đến ngày"), widget=DateInput(), required=False,
                               help_text=_("Để trống nếu chưa kết thúc."))
    reason = forms.CharField(label=_("Lý do, căn cứ"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AgencyProfileForm(NFCFormMixin, forms.ModelForm):
    class Meta:
        model = AgencyProfile
        fields = ["name", "parent_name", "doc_code", "place_name", "director_title", "director_name"]


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
        from .selectors import persons_search

        return persons_search(queryset, q=value)
