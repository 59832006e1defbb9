"""Seed the catalogues from shared/domain.md (Law 06/2022, Nghị định 98/2023). Data, not constants:
the office changes them without a code change."""

import datetime
from decimal import Decimal

from django.db import migrations

TITLES = [
    # code, name, subject, authority, merit, order
    ("LDTT", "Lao động tiên tiến", "person", "director", True, 10),
    ("CSTDCS", "Chiến sĩ thi đua cơ sở", "person", "director", True, 20),
    ("CSTD_TINH", "Chiến sĩ thi đua cấp tỉnh", "person", "province", True, 30),
    ("TTLDTT", "Tập thể lao động tiên tiến", "unit", "director", True, 40),
    ("TTLDXS", "Tập thể lao động xuất sắc", "unit", "province", True, 50),
    ("CO_TINH", "Cờ thi đua của UBND tỉnh", "unit", "province", True, 60),
]
FORMS = [
    ("GIAY_KHEN", "Giấy khen của Giám đốc Sở", "both", "director", True, 10),
    ("BK_TINH", "Bằng khen của Chủ tịch UBND tỉnh", "both", "province", True, 20),
]
# code, subject kind, coefficient (× lương cơ sở)
COEFFICIENTS = [
    ("LDTT", "person", "0.3"), ("CSTDCS", "person", "1.0"), ("CSTD_TINH", "person", "3.0"),
    ("TTLDTT", "unit", "0.8"), ("TTLDXS", "unit", "1.5"), ("CO_TINH", "unit", "8.0"),
    ("GIAY_KHEN", "person", "0.3"), ("GIAY_KHEN", "unit", "0.6"),
    ("BK_TINH", "person", "1.5"), ("BK_TINH", "unit", "3.0"),
]
SALARIES = [
    (1490000, datetime.date(2019, 7, 1), "Nghị định 38/2019/NĐ-CP"),
    (1800000, datetime.date(2023, 7, 1), "Nghị định 24/2023/NĐ-CP"),
    (2340000, datetime.date(2024, 7, 1), "Nghị định 73/2024/NĐ-CP"),
]
EFFECTIVE = datetime.date(2023, 12, 31)  # Nghị định 98/2023/NĐ-CP


def seed(apps, schema_editor):
    Title = apps.get_model("nominations", "EmulationTitle")
    Form = apps.get_model("nominations", "CommendationForm")
    Coef = apps.get_model("nominations", "BonusCoefficient")
    Salary = apps.get_model("nominations", "BaseSalary")
    by_code = {}
    for model, rows in ((Title, TITLES), (Form, FORMS)):
        for code, name, subject, authority, merit, order in rows:
            obj, _ = model.objects.get_or_create(code=code, defaults=dict(
                name=name, subject_kind=subject, authority=authority, counts_as_merit=merit, sort_order=order))
            by_code[code] = obj
    for code, subject, value in COEFFICIENTS:
        target = by_code[code]
        key = {"title": target} if target.__class__.__name__ == "EmulationTitle" else {"form": target}
        Coef.objects.get_or_create(subject_kind=subject, effective_from=EFFECTIVE, **key,
                                   defaults={"coefficient": Decimal(value)})
    for amount, start, basis in SALARIES:
        Salary.objects.get_or_create(effective_from=start, defaults={"amount": amount, "legal_basis": basis})


class Migration(migrations.Migration):
    dependencies = [("nominations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
