"""Seed the voting rules as data (shared/domain.md “Council voting”): no national threshold binds a Sở's council today,
it follows its own Quy chế. These defaults say so in their basis; the office edits them (parameters, basis, dates) or
adds a row with a later ``effective_from`` when the Quy chế changes. Safe to run again (``seed`` is idempotent)."""

import datetime
from decimal import Decimal

from django.db import migrations

QUY_CHE = ("Quy chế tổ chức và hoạt động của Hội đồng Thi đua – Khen thưởng Sở (Văn phòng Sở cập nhật số, ngày ban hành và "
           "điều khoản của Quy chế đang áp dụng).")
FROM = datetime.date(2021, 1, 1)

RULES = [
    # name, award code (None: every other title and form), method, base, threshold, comparison, written, abstention, note
    ("Quy tắc chung", None, "open", "present", Decimal("50"), "gt", False, True,
     "Áp dụng cho các danh hiệu, hình thức chưa có quy tắc riêng: biểu quyết công khai, quá bán số thành viên có mặt."),
    ("Chiến sĩ thi đua cơ sở", "CSTDCS", "secret", "present", Decimal("70"), "gte", False, True, ""),
    ("Chiến sĩ thi đua cấp tỉnh", "CSTD_TINH", "secret", "all", Decimal("90"), "gte", True, False,
     "Tham khảo (không phải quy định đang có hiệu lực): Nghị định 91/2017/NĐ-CP (đã hết hiệu lực) yêu cầu bỏ phiếu kín, đạt "
     "từ 90% tổng số thành viên Hội đồng trở lên; thành viên vắng mặt cho ý kiến bằng văn bản."),
    ("Bằng khen của Chủ tịch UBND tỉnh", "BK_TINH", "secret", "present", Decimal("70"), "gte", False, True, ""),
    ("Cờ thi đua của UBND tỉnh", "CO_TINH", "secret", "present", Decimal("70"), "gte", False, True, ""),
]


def seed(apps, schema_editor):
    VotingRule = apps.get_model("councils", "VotingRule")
    Title = apps.get_model("nominations", "EmulationTitle")
    Form = apps.get_model("nominations", "CommendationForm")
    for name, code, method, base, threshold, comparison, written, abstention, note in RULES:
        title = Title.objects.filter(code=code).first() if code else None
        form = Form.objects.filter(code=code).first() if code and title is None else None
        if code and title is None and form is None:
            continue  # the catalogue entry was removed: nothing to attach the rule to
        VotingRule.objects.get_or_create(title=title, form=form, effective_from=FROM, defaults=dict(
            name=name, method=method, base=base, threshold=threshold, comparison=comparison, quorum_numerator=2,
            quorum_denominator=3, written_opinions_count=written, allows_abstention=abstention, legal_basis=QUY_CHE,
            description=note, active=True))


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial"), ("nominations", "0002_seed_catalogues")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
