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
    """A text date field in dd/mm/yyyy (browsers' native pickers ignore the locale)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})}, format="%d/%m/%Y")


class ReasonForm(NFCFormMixin, forms.Form):
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class PasswordResetRequestForm(PasswordResetForm):
    """"Quên mật khẩu" (polish, issue 13): Django's form, its field named in Vietnamese."""

    email = forms.EmailField(label=_("Thư điện tử"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
