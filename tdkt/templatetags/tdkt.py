from django import template

from tdkt.text import ngay_thang_nam as _ngay_thang_nam

register = template.Library()


@register.filter
def ngay_thang_nam(value, place=None):
    """{{ date|ngay_thang_nam:"Hưng Yên" }} → "Hưng Yên, ngày 05 tháng 01 năm 2026"."""
    if not value:
        return ""
    return _ngay_thang_nam(value, place)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (pagination links keep filters)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        params[key] = value
    return params.urlencode()
