"""Seed the rules as data (shared/domain.md "Rules the app enforces"; seed 000 point 5).

Administrators change parameters, severity, effective dates or switch a rule off in the
admin, without a code change; a new legal text is a new row with its own effective_from.
"""

import datetime

from django.db import migrations

LETTER_2023 = ("Điểm 5 Công văn của Sở Khoa học và Công nghệ tỉnh Hưng Yên (tháng 11/2023) thực hiện Công văn số "
               "3271/UBND-NC ngày 29/11/2023 của UBND tỉnh về nâng cao chất lượng công tác thi đua, khen thưởng")
LAW_2022 = "Luật Thi đua, khen thưởng số 06/2022/QH15"

RULES = [
    # code, name, description, parameters, legal basis, effective from, severity, active, order
    ("R1", "Tỷ lệ cá nhân lãnh đạo, quản lý",
     "Cá nhân giữ chức vụ lãnh đạo, quản lý không quá 40% tổng số cá nhân đề nghị khen thưởng (gồm khen thưởng công tác năm, "
     "chuyên đề, đột xuất), tính theo từng đơn vị và toàn cơ quan trong năm; làm tròn xuống (40% của 7 là 2).",
     {"max_share": 0.4, "scopes": ["unit", "all"], "period": "year", "round_kinds": ["annual", "thematic", "ad_hoc"]},
     LETTER_2023, datetime.date(2023, 11, 29), "blocking", True, 10),
    ("R2", "Không đề nghị đồng thời tập thể và người đứng đầu",
     "Không đề nghị khen thưởng đồng thời đối với tập thể và người đứng đầu tập thể đó trong cùng năm.",
     {"period": "year"}, LETTER_2023, datetime.date(2023, 11, 29), "blocking", True, 20),
    ("R4", "Điều kiện danh hiệu, hình thức khen thưởng",
     "Tiêu chuẩn theo lịch sử xếp loại, khen thưởng và sáng kiến của từng danh hiệu, hình thức; “liên tục” là không có năm gián đoạn.",
     {
         "LDTT": {"subject": "person", "min_rating": "HTTNV"},
         "CSTDCS": {"subject": "person", "min_rating": "HTTNV", "one_of": {"rating": "HTXSNV", "initiative_in_year": True}},
         "CSTD_TINH": {"subject": "person", "consecutive_any": [{"award": "CSTDCS", "years": 3}],
                       "initiatives_in_window": {"count": 1, "scope": "province"}},
         "BK_TINH": {"subject": "person", "consecutive_any": [{"award": "CSTDCS", "years": 2}, {"rating": "HTXSNV", "years": 2}],
                     "initiatives_in_window": {"count": 2}},
         "TTLDTT": {"subject": "unit", "min_rating": "HTTNV", "members_award_share": {"award": "LDTT", "min_share": 0.5, "more_than": True}},
         "TTLDXS": {"subject": "unit", "min_rating": "HTXSNV", "members_min_rating": "HTNV",
                    "members_award_share": {"award": "LDTT", "min_share": 0.7}, "members_award_count": {"award": "CSTDCS", "min": 1}},
     },
     LAW_2022 + ": Điều 22 (CSTĐ cấp tỉnh), Điều 23 (CSTĐ cơ sở), Điều 24 (LĐTT), Điều 27 (TTLĐXS), Điều 28 (TTLĐTT), Điều 74 (Bằng khen)",
     datetime.date(2024, 1, 1), "blocking", True, 40),
    ("R5", "Một thành tích chỉ khen thưởng một lần",
     "Không đề nghị trùng đối tượng và danh hiệu, hình thức trong cùng năm; cảnh báo khi một cá nhân được hai đơn vị đề nghị.",
     {"cross_unit_severity": "warning"}, LAW_2022 + ", khoản 2 Điều 5", datetime.date(2024, 1, 1), "blocking", True, 50),
    ("R6", "Tạm dừng xét khi đang xem xét kỷ luật, điều tra, khiếu nại",
     "Không đề nghị khi đang bị xem xét kỷ luật, điều tra, thanh tra, có đơn thư đang xác minh hoặc đang chịu kỷ luật; sau kỷ luật "
     "chỉ tính thành tích từ khi hết thời hạn kỷ luật.",
     {}, "Điều 4 Nghị định 98/2023/NĐ-CP; Điều 4 Nghị định 152/2025/NĐ-CP (từ 01/7/2025)", datetime.date(2024, 1, 1),
     "blocking", True, 60),
    ("R7", "Khen thưởng đột xuất, chuyên đề không tính làm điều kiện",
     "Kết quả khen thưởng đột xuất, chuyên đề không làm căn cứ đề nghị khen thưởng công trạng (áp dụng khi kiểm tra R4).",
     {"excluded_kinds": ["thematic", "ad_hoc"]}, "Khoản 3 Điều 4 Nghị định 98/2023/NĐ-CP; Nghị định 152/2025/NĐ-CP",
     datetime.date(2024, 1, 1), "blocking", True, 70),
    ("R8", "Tỷ lệ Chiến sĩ thi đua cơ sở trên Lao động tiên tiến",
     "Số Chiến sĩ thi đua cơ sở không quá 15% số Lao động tiên tiến (trước đây là quy định chung; nay do tỉnh quy định: bật khi có "
     "văn bản của tỉnh).",
     {"numerator": "CSTDCS", "denominator": "LDTT", "max_share": 0.15, "scope": "round"},
     "Khoản 3 Điều 9 Nghị định 91/2017/NĐ-CP (đã hết hiệu lực); quy định của UBND tỉnh", datetime.date(2024, 1, 1),
     "warning", False, 80),
    ("R9", "Hạn nộp hồ sơ",
     "Không tiếp nhận hồ sơ sau hạn nộp của đợt, trừ khen thưởng đột xuất.",
     {"exempt_kinds": ["ad_hoc"]},
     "Công văn số 3441/UBND-KTTH ngày 11/9/2020 của UBND tỉnh (không tiếp nhận hồ sơ quá thời gian quy định, trừ khen thưởng đột xuất)",
     datetime.date(2020, 9, 11), "blocking", True, 90),
    ("R10", "Khen thưởng chuyên đề cần kế hoạch và báo cáo sơ kết, tổng kết",
     "Chỉ xét khen thưởng chuyên đề cho phong trào đã có kế hoạch và báo cáo sơ kết hoặc tổng kết.",
     {"required_all": ["plan"], "required_any": ["interim_report", "final_report"]},
     "Hồ sơ khen thưởng chuyên đề kèm kế hoạch, báo cáo sơ kết, tổng kết của cơ quan chủ trì phát động (điểm 4 Công văn số "
     "147/UBND-NV ngày 06/02/2023)", datetime.date(2023, 2, 6), "blocking", True, 100),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("nominations", "Rule")
    for code, name, description, parameters, basis, start, severity, active, order in RULES:
        Rule.objects.get_or_create(code=code, effective_from=start, defaults=dict(
            name=name, description=description, parameters=parameters, legal_basis=basis, severity=severity,
            active=active, sort_order=order))


class Migration(migrations.Migration):
    dependencies = [("nominations", "0003_rules_history_rounds_nominations")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
