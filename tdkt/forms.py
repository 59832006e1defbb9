from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .text import nfc, nfc_multiline


class NFCFormMixin:
    """Normalise every text input to Unicode NFC (names from Excel/macOS arrive as NFD)."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                widget = self.fields[name].widget
                cleaned[name] = nfc_multiline(value) if isinstance(widget, forms.Textarea) else nfc(value)
        return cleaned


class DateInput(forms.DateInput):
    """A native date input (``type=date``: the browser's picker, shown in the user's locale, dd/mm/yyyy in Vietnamese).
    The value travels as ISO yyyy-mm-dd, which ``DATE_INPUT_FORMATS`` accepts besides dd/mm/yyyy typed by hand or sent
    by older pages (entry: issue 13)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReasonForm(NFCFormMixin, forms.Form):
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class PasswordResetRequestForm(PasswordResetForm):
    """"Quên mật khẩu" (polish, issue 13): Django's form, its field named in Vietnamese."""

    email = forms.EmailField(label=_("Thư điện tử"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
