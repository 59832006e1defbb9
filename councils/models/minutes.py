"""The minutes of a meeting (biên bản họp Hội đồng, Mẫu 1.9 of Thông tư 20/2025/TT-BNV) once the secretary issues them:
their number in the council's own series (``tdkt.numbering``), and the number of the vote-count minutes (biên bản kiểm
phiếu) when the meeting had secret ballots. The text is not stored: it is printed from the meeting's records, which no
longer change once the meeting is closed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .decisions import DigitallySigned, decision_pdf_path
from .meetings import Meeting


class MeetingMinutes(DigitallySigned):
    # Digital signature (issue 12): the chair's only (“Ký số”), see councils/signing.py; no seal on a council's minutes.
    pdf_folder = "minutes"

    meeting = models.OneToOneField(Meeting, verbose_name=_("phiên họp"), on_delete=models.PROTECT, related_name="minutes")
    number = models.CharField(_("số biên bản"), max_length=40)
    tally_number = models.CharField(_("số biên bản kiểm phiếu"), max_length=40, blank=True)
    issued_at = models.DateTimeField(_("ban hành lúc"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người ban hành"), on_delete=models.PROTECT,
                                  related_name="+")
    # The biên bản kiểm phiếu, a separate file: signed by the agency as an attachment when the minutes are signed.
    tally_pdf_signed = models.FileField(_("biên bản kiểm phiếu đã ký số"), upload_to=decision_pdf_path, blank=True,
                                        max_length=255)

    class Meta:
        verbose_name = _("biên bản phiên họp")
        verbose_name_plural = _("biên bản phiên họp")
        constraints = [models.UniqueConstraint(fields=["number"], name="minutes_number_once")]

    def __str__(self):
        return _("Biên bản số %(number)s") % {"number": self.number}
