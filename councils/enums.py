"""Enums of the councils app: council positions, voting rules, meetings, agenda items and votes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CouncilPosition(models.TextChoices):
    """A member's position on the council (data: the Director's decision names them; the office edits them)."""

    CHAIR = "chair", _("Chủ tịch Hội đồng")
    VICE_CHAIR = "vice_chair", _("Phó Chủ tịch Hội đồng")
    STANDING = "standing", _("Ủy viên thường trực")
    MEMBER = "member", _("Ủy viên")
    SECRETARY = "secretary", _("Thư ký")


class VotingMethod(models.TextChoices):
    OPEN = "open", _("Biểu quyết công khai")
    SECRET = "secret", _("Bỏ phiếu kín")


class VotingBase(models.TextChoices):
    """What the percentage of “đồng ý” is taken of (recused members are always left out of it)."""

    PRESENT = "present", _("Số thành viên có mặt")
    ALL = "all", _("Tổng số thành viên Hội đồng")


class ThresholdComparison(models.TextChoices):
    AT_LEAST = "gte", _("từ … trở lên (≥)")
    MORE_THAN = "gt", _("trên … (>)")


class MeetingKind(models.TextChoices):
    SITTING = "sitting", _("Họp trực tiếp")
    WRITTEN = "written", _("Lấy ý kiến bằng văn bản")


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SCHEDULED = "scheduled", _("Đã triệu tập")
    IN_PROGRESS = "in_progress", _("Đang họp, lấy ý kiến")
    CLOSED = "closed", _("Đã kết thúc")
    CANCELLED = "cancelled", _("Đã huỷ")

    @classmethod
    def visible_to_members(cls):
        """A draft is the office's preparation: members see a meeting once it is called."""
        return [cls.SCHEDULED, cls.IN_PROGRESS, cls.CLOSED, cls.CANCELLED]

    @classmethod
    def upcoming(cls):
        return [cls.SCHEDULED, cls.IN_PROGRESS]


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Có mặt")
    ABSENT = "absent", _("Vắng mặt")
    ABSENT_WRITTEN = "written", _("Vắng mặt, có ý kiến bằng văn bản")


class ItemState(models.TextChoices):
    PENDING = "pending", _("Chờ biểu quyết")
    VOTING = "voting", _("Đang biểu quyết")
    CLOSED = "closed", _("Đã biểu quyết")
    DEFERRED = "deferred", _("Hoãn xét")

    @classmethod
    def live(cls):
        """States of an item that holds its nomination (a deferred item let it go back to the office)."""
        return [cls.PENDING, cls.VOTING, cls.CLOSED]


class Outcome(models.TextChoices):
    PASSED = "passed", _("Đạt")
    REJECTED = "rejected", _("Không đạt")


class Choice(models.TextChoices):
    YES = "yes", _("Đồng ý")
    NO = "no", _("Không đồng ý")
    ABSTAIN = "abstain", _("Không biểu quyết")


class VoteRoundState(models.TextChoices):
    OPEN = "open", _("Đang biểu quyết")
    CLOSED = "closed", _("Đã kết thúc")


# ---------------------------------------------------------------- decisions and tờ trình (issue 11)

class DecisionState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")
    REVOKED = "revoked", _("Đã thu hồi")
    REPLACED = "replaced", _("Đã được thay thế")


class DecisionSource(models.TextChoices):
    MEETING = "meeting", _("Kết quả họp Hội đồng")
    ROUND = "round", _("Đề nghị của đợt (Giám đốc khen không qua Hội đồng)")


class SignerPrefix(models.TextChoices):
    NONE = "", _("Người đứng đầu ký")
    KT = "KT.", _("KT. – ký thay")
    TM = "TM.", _("TM. – thay mặt tập thể")
    Q = "Q.", _("Q. – quyền")


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SENT = "sent", _("Đã trình UBND tỉnh")
    DECIDED = "decided", _("Tỉnh đã quyết định")


# ---------------------------------------------------------------- digital signatures (issue 12)

class SignatureState(models.TextChoices):
    """The steps after issuing: the signer's digital signature, then the agency's digital seal (văn thư)."""

    UNSIGNED = "unsigned", _("Chưa ký số")
    SIGNED = "signed", _("Đã ký số, chờ đóng dấu số")
    SEALED = "sealed", _("Đã ký số và đóng dấu số")
