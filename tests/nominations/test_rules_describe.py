"""The rules page states the parameters in Vietnamese sentences, never JSON (polish, issue 13)."""

import pytest
from django.urls import reverse

from nominations.rules_engine.describe import describe_parameters

AWARDS = {"LDTT": "Lao động tiên tiến", "CSTDCS": "Chiến sĩ thi đua cơ sở", "BK_TINH": "Bằng khen của Chủ tịch UBND tỉnh"}


def test_quota_rule():
    assert describe_parameters("R1", {"max_share": 0.4, "scopes": ["unit", "all"], "period": "year",
                                      "round_kinds": ["annual", "thematic", "ad_hoc"]}, AWARDS) == [
        "Không quá 40 % số cá nhân được đề nghị là lãnh đạo, quản lý (làm tròn xuống).",
        "Tính riêng cho từng đơn vị và toàn cơ quan.",
        "Thời gian tính: trong năm (mọi đợt, mọi đơn vị).",
        "Áp dụng cho các đợt: Tổng kết năm, Chuyên đề, Đột xuất.",
    ]


def test_ratio_rule_and_kinds():
    assert describe_parameters("R8", {"numerator": "CSTDCS", "denominator": "LDTT", "max_share": 0.15, "scope": "round"}, AWARDS) == [
        "Số “Chiến sĩ thi đua cơ sở” không quá 15 % số “Lao động tiên tiến”, tính theo từng đợt."]
    assert describe_parameters("R7", {"excluded_kinds": ["thematic", "ad_hoc"]}, AWARDS) == [
        "Không tính các khen thưởng: chuyên đề, đột xuất."]
    assert describe_parameters("R10", {"required_all": ["plan"], "required_any": ["interim_report", "final_report"]}, AWARDS) == [
        "Phong trào phải có: kế hoạch.", "Và ít nhất một trong: báo cáo sơ kết, báo cáo tổng kết."]
    assert describe_parameters("R6", {}, AWARDS) == ["Không có tham số."]
    assert describe_parameters("R2", {"period": "year", "awards": []}, AWARDS) == [
        "Thời gian tính: trong năm (mọi đợt, mọi đơn vị).", "Áp dụng cho mọi danh hiệu, hình thức khen thưởng."]


def test_prerequisites():
    params = {"BK_TINH": {"subject": "person", "consecutive_any": [{"award": "CSTDCS", "years": 2}, {"rating": "HTXSNV", "years": 2}],
                          "initiatives_in_window": {"count": 2}},
              "CSTDCS": {"subject": "person", "min_rating": "HTTNV", "one_of": {"rating": "HTXSNV", "initiative_in_year": True}}}
    assert describe_parameters("R4", params, AWARDS) == [
        "Bằng khen của Chủ tịch UBND tỉnh (cá nhân): 2 năm liên tục đạt “Chiến sĩ thi đua cơ sở” hoặc 2 năm liên tục đạt xếp loại "
        "“Hoàn thành xuất sắc nhiệm vụ”; có ít nhất 2 sáng kiến trong các năm đó.",
        "Chiến sĩ thi đua cơ sở (cá nhân): xếp loại năm xét từ “Hoàn thành tốt nhiệm vụ” trở lên; và xếp loại “Hoàn thành xuất "
        "sắc nhiệm vụ” hoặc có sáng kiến trong năm.",
    ]


def test_unknown_parameter_still_shows():
    assert describe_parameters("R99", {"new_key": 3}, AWARDS) == ["new_key: 3"]


@pytest.mark.django_db
def test_rules_page_has_sentences_and_no_json(client, office_user):
    client.force_login(office_user)
    body = client.get(reverse("nominations:rule_list")).content.decode().split("<main", 1)[1]
    assert "Không quá 40 % số cá nhân được đề nghị là lãnh đạo, quản lý (làm tròn xuống)." in body
    assert "max_share" not in body and "{&quot;" not in body and '{"' not in body
