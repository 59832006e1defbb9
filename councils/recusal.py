"""Automatic recusal: who may not take part in judging a nomination, from the position history.

A member stands aside from an item when they are the nominee, or when the nominee is a collective (a unit) and the
member worked in that unit — as its head or not — on the round's reference date (the date the nomination is judged on,
``NominationRound.reference_date``). The posts come from ``movements.api.positions_at`` (the position history), one
query per distinct reference date, whatever the number of items and members.
"""

from django.utils.translation import gettext as _

from movements.api import positions_at


def _dmy(value):
    return value.strftime("%d/%m/%Y")


def automatic_recusals(items, members):
    """``{(item pk, member pk): reason}`` for every pair where the member must stand aside.

    ``items``: agenda items with ``nomination`` (and its ``round``, ``unit``) loaded; ``members``: council members.
    """
    members = list(members)
    by_person = {}
    for member in members:
        by_person.setdefault(member.person_id, []).append(member)
    found = {}
    collective_dates = {item.nomination.round.reference_date for item in items if item.nomination.unit_id}
    posts = {}  # (date, person id) -> [(unit id, is head)]
    for date in collective_dates:
        for person_id, unit_id, is_head in positions_at(date, persons=list(by_person)).values_list("person_id", "unit_id", "is_head"):
            posts.setdefault((date, person_id), []).append((unit_id, is_head))
    for item in items:
        nomination = item.nomination
        if nomination.person_id:
            for member in by_person.get(nomination.person_id, []):
                found[(item.pk, member.pk)] = _("Là người được đề nghị.")
            continue
        date = nomination.round.reference_date
        for person_id, seats in by_person.items():
            for unit_id, is_head in posts.get((date, person_id), []):
                if unit_id != nomination.unit_id:
                    continue
                reason = (_("Là người đứng đầu %(unit)s (tập thể được đề nghị) vào ngày xét %(date)s.") if is_head else
                          _("Công tác tại %(unit)s (tập thể được đề nghị) vào ngày xét %(date)s."))
                for member in seats:
                    found[(item.pk, member.pk)] = reason % {"unit": nomination.unit, "date": _dmy(date)}
    return found
