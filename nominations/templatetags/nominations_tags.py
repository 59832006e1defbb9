import json

from django import template

from nominations.enums import NominationState, RoundStatus
from nominations.selectors import awards_for_subject, current_nominations_of, initiatives_of

register = template.Library()


@register.simple_tag
def awards_for(subject):
    """{% awards_for person as awards %}: award history of a person or unit, newest first (one query)."""
    return list(awards_for_subject(subject))


@register.simple_tag
def current_nominations_for(user, person):
    """{% current_nominations_for user person as nominations %}: the person's nominations on their way (polish)."""
    return list(current_nominations_of(user, person))


@register.simple_tag
def initiatives_for(user, person):
    """{% initiatives_for user person as initiatives %}: the person's initiatives (polish)."""
    return list(initiatives_of(user, person))


@register.filter
def severity_class(violation):
    return "msg-error" if violation.blocking else "msg-warning"


@register.filter
def state_label(value):
    for choices in (NominationState, RoundStatus):
        if value in choices.values:
            return choices(value).label
    return value


@register.filter
def as_json(value):
    return json.dumps(value, ensure_ascii=False)


@register.filter
def intdot(value):
    """2340000 → "2.340.000" (Vietnamese thousands separator)."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return value
