"""Votes: one :class:`VoteRound` per vote on an item (a re-vote is a new round; the old one keeps its result), the
:class:`Participation` of each member (*that* they voted), and for a secret ballot the :class:`BallotBox` (only counts).

Secrecy by construction: a secret ballot's choice is never stored next to anything that names a voter. The
participation row (member, round; no time, and no choice for a secret ballot) is what stops a second vote; the choice
only increments a counter of the round's ballot box, a row with no voter, no time and no history. Nothing orders or
dates the ballots, because there are no ballot rows: the box holds three numbers. The audit trail records that the
member voted, never how. See ``councils/services/voting.py`` for the write itself.

Closed rounds are immutable: the model refuses to save or delete them (and a queryset refuses to update or delete
them); the services refuse first with a clear message.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..enums import Choice, Outcome, ThresholdComparison, VoteRoundState, VotingBase, VotingMethod
from ..tally import Terms
from .councils import CouncilMember
from .meetings import AgendaItem
from .voting_rules import VotingRule


def closed_round_message():
    return gettext("Kết quả biểu quyết đã kết thúc không sửa, không xoá được; muốn xét lại hãy biểu quyết lại.")


class VoteRoundQuerySet(models.QuerySet):
    """Bulk writes refuse closed rounds too."""

    def update(self, **kwargs):
        if self.filter(state=VoteRoundState.CLOSED).exists():
            raise ValidationError(closed_round_message())
        return super().update(**kwargs)

    def delete(self):
        if self.filter(state=VoteRoundState.CLOSED).exists():
            raise ValidationError(closed_round_message())
        return super().delete()


class VoteRound(models.Model):
    """One vote on an item: opened by the chair (or entered from paper ballots by the secretary), closed with its result.

    The terms of the voting rule in force when it opened are copied here (``method`` … ``allows_abstention``); the
    result fields are set once, at the close: counts, the numbers the base was taken from, the percentage and the
    outcome.
    """

    item = models.ForeignKey(AgendaItem, verbose_name=_("nội dung xét"), on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("lần biểu quyết"), default=1)
    state = models.CharField(_("trạng thái"), max_length=8, choices=VoteRoundState.choices, default=VoteRoundState.OPEN)
    is_paper = models.BooleanField(_("phiếu giấy"), default=False,
                                   help_text=_("Kết quả kiểm phiếu giấy do thư ký nhập, không biểu quyết trên hệ thống."))
    rule = models.ForeignKey(VotingRule, verbose_name=_("quy tắc biểu quyết"), on_delete=models.PROTECT, related_name="rounds")
    method = models.CharField(_("hình thức biểu quyết"), max_length=8, choices=VotingMethod.choices)
    base = models.CharField(_("tính tỷ lệ trên"), max_length=8, choices=VotingBase.choices)
    threshold = models.DecimalField(_("tỷ lệ đồng ý (%)"), max_digits=5, decimal_places=2)
    comparison = models.CharField(_("so sánh"), max_length=4, choices=ThresholdComparison.choices)
    quorum_numerator = models.PositiveSmallIntegerField(_("tử số"))
    quorum_denominator = models.PositiveSmallIntegerField(_("mẫu số"))
    written_opinions_count = models.BooleanField(_("tính ý kiến bằng văn bản"))
    allows_abstention = models.BooleanField(_("có lựa chọn “không biểu quyết”"))
    reason = models.TextField(_("lý do biểu quyết lại"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người mở"), on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    opened_at = models.DateTimeField(_("mở lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người kết thúc"), on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    yes_count = models.PositiveSmallIntegerField(_("đồng ý"), null=True, blank=True)
    no_count = models.PositiveSmallIntegerField(_("không đồng ý"), null=True, blank=True)
    abstain_count = models.PositiveSmallIntegerField(_("không biểu quyết"), null=True, blank=True)
    members_count = models.PositiveSmallIntegerField(_("số thành viên"), null=True, blank=True)
    present_count = models.PositiveSmallIntegerField(_("số thành viên có mặt"), null=True, blank=True)
    recused_count = models.PositiveSmallIntegerField(_("số thành viên không tham gia xét"), null=True, blank=True)
    attending_count = models.PositiveSmallIntegerField(_("số thành viên tham gia xét"), null=True, blank=True)
    base_count = models.PositiveSmallIntegerField(_("mẫu số tính tỷ lệ"), null=True, blank=True)
    percentage = models.DecimalField(_("tỷ lệ đồng ý (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    quorum_met = models.BooleanField(_("đủ số thành viên"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=8, choices=Outcome.choices, blank=True)
    result_text = models.TextField(_("kết quả (diễn giải)"), blank=True)

    objects = VoteRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần biểu quyết")
        verbose_name_plural = _("lần biểu quyết")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="vote_round_number_once"),
            models.UniqueConstraint(fields=["item"], condition=Q(state="open"), name="vote_round_one_open_per_item",
                                    violation_error_message=_("Mục này đang được biểu quyết.")),
            models.CheckConstraint(
                condition=Q(state="open", outcome="", yes_count__isnull=True)
                | Q(state="closed", yes_count__isnull=False, no_count__isnull=False, abstain_count__isnull=False,
                    base_count__isnull=False, percentage__isnull=False) & ~Q(outcome=""),
                name="vote_round_result_when_closed", violation_error_message=_("Chỉ lần biểu quyết đã kết thúc mới có kết quả.")),
            models.CheckConstraint(condition=Q(allows_abstention=True) | Q(abstain_count__isnull=True) | Q(abstain_count=0),
                                   name="vote_round_abstention_allowed",
                                   violation_error_message=_("Quy tắc biểu quyết này không có lựa chọn “không biểu quyết”.")),
        ]

    def __str__(self):
        return gettext("%(item)s – lần %(n)s") % {"item": self.item, "n": self.number}

    def save(self, *args, **kwargs):
        if self._stored_closed():
            raise ValidationError(closed_round_message())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_closed():
            raise ValidationError(closed_round_message())
        return super().delete(*args, **kwargs)

    def _stored_closed(self):
        return self.pk is not None and VoteRound.objects.filter(pk=self.pk, state=VoteRoundState.CLOSED).exists()

    @property
    def terms(self):
        return Terms.of(self)

    @property
    def is_secret(self):
        return self.method == VotingMethod.SECRET

    @property
    def is_open(self):
        return self.state == VoteRoundState.OPEN


class Participation(models.Model):
    """That ``member`` took part in ``round`` (the turnout, and what refuses a second vote: one row per member and round,
    a unique constraint the database keeps under concurrency). No time is kept. ``choice`` is kept only for an open
    vote (shown in the results); for a secret ballot it stays empty and the choice goes to the :class:`BallotBox`.
    ``written``: an absent member's written opinion (or an answer to a written consultation)."""

    round = models.ForeignKey(VoteRound, verbose_name=_("lần biểu quyết"), on_delete=models.PROTECT, related_name="participations")
    member = models.ForeignKey(CouncilMember, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="participations")
    written = models.BooleanField(_("ý kiến bằng văn bản"), default=False)
    choice = models.CharField(_("lựa chọn (biểu quyết công khai)"), max_length=8, choices=Choice.choices, blank=True)

    class Meta:
        verbose_name = _("thành viên đã biểu quyết")
        verbose_name_plural = _("thành viên đã biểu quyết")
        ordering = ["round", "member__sort_order", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="participation_once_per_member",
                                    violation_error_message=_("Thành viên này đã biểu quyết.")),
        ]

    def __str__(self):
        # never the choice: this text goes to the audit trail
        return gettext("%(member)s đã biểu quyết: %(round)s") % {"member": self.member.person.full_name, "round": self.round}

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(gettext("Đã biểu quyết thì không sửa được."))
        if not VoteRound.objects.filter(pk=self.round_id, state=VoteRoundState.OPEN).exists():
            raise ValidationError(gettext("Việc biểu quyết mục này đã kết thúc."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("Đã biểu quyết thì không xoá được."))


class BallotBox(models.Model):
    """The sealed box of a secret ballot: three counters and nothing else (no voter, no time, no row per ballot). Read
    only at the close; the pages never show it while the vote is open."""

    round = models.OneToOneField(VoteRound, verbose_name=_("lần biểu quyết"), on_delete=models.PROTECT, primary_key=True,
                                 related_name="ballot_box")
    yes_count = models.PositiveSmallIntegerField(_("đồng ý"), default=0)
    no_count = models.PositiveSmallIntegerField(_("không đồng ý"), default=0)
    abstain_count = models.PositiveSmallIntegerField(_("không biểu quyết"), default=0)

    class Meta:
        verbose_name = _("hòm phiếu kín")
        verbose_name_plural = _("hòm phiếu kín")

    def __str__(self):
        return gettext("Hòm phiếu: %(round)s") % {"round": self.round}

    def save(self, *args, **kwargs):
        if not VoteRound.objects.filter(pk=self.round_id, state=VoteRoundState.OPEN).exists():
            raise ValidationError(closed_round_message())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(closed_round_message())

