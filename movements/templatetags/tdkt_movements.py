from django import template

from movements.models import format_score

register = template.Library()


@register.filter
def score(value):
    """12.50 → "12,5" (empty for no score, so ``|default:"—"`` applies)."""
    if value is None or value == "":
        return ""
    return format_score(value)
