"""R11: registration before nomination, effective when a year's registration window says so."""

import datetime

from django.db import migrations

RULES = [
    ("R11", "Đăng ký thi đua trước khi đề nghị danh hiệu",
     "Khi đợt đăng ký thi đua của năm đặt “bắt buộc đăng ký trước khi đề nghị”, chỉ xét danh hiệu thi đua cho cá nhân, tập thể "
     "đã đăng ký danh hiệu đó và phiếu đăng ký đã được duyệt.",
     {"round_kinds": ["annual"]},
     "Kế hoạch công tác thi đua, khen thưởng hằng năm của Sở (tổ chức đăng ký thi đua); Luật Thi đua, khen thưởng 2022 không còn "
     "coi đăng ký là căn cứ bắt buộc nên quy định này chỉ áp dụng khi đợt đăng ký đặt là bắt buộc",
     datetime.date(2024, 1, 1), "blocking", True, 110),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("nominations", "Rule")
    for code, name, description, parameters, basis, start, severity, active, order in RULES:
        Rule.objects.get_or_create(code=code, effective_from=start, defaults=dict(
            name=name, description=description, parameters=parameters, legal_basis=basis, severity=severity,
            active=active, sort_order=order))


class Migration(migrations.Migration):
    dependencies = [("nominations", "0004_seed_rules"), ("movements", "0003_campaigns_registrations_clusters")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
