"""Validators shared by every app's models: sane bounds for the dates and years of the department's records
(a typo such as 01/01/0202 or 31/12/9999 is refused by every write path, as each runs ``full_clean``) and
the order of a start and an end."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATE_MIN = datetime.date(1945, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
YEAR_MIN, YEAR_MAX = DATE_MIN.year, DATE_MAX.year


def _dmy(value):
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def validate_date_bounds(value):
    """A date between 01/01/1945 and 31/12/2100."""
    if value is not None and not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(_("Ngày %(date)s không hợp lệ: chỉ nhận ngày từ %(min)s đến %(max)s.")
                              % {"date": _dmy(value), "min": _dmy(DATE_MIN), "max": _dmy(DATE_MAX)}, code="date_bounds")


def validate_year_bounds(value):
    """A year between 1945 and 2100."""
    if value is not None and not YEAR_MIN <= value <= YEAR_MAX:
        raise ValidationError(_("Năm %(year)s không hợp lệ: chỉ nhận năm từ %(min)s đến %(max)s.")
                              % {"year": value, "min": YEAR_MIN, "max": YEAR_MAX}, code="year_bounds")


def check_ordered(errors, obj, start_field, end_field, message):
    """Add ``message`` on ``end_field`` to ``errors`` when both dates are set and the end is before the start."""
    start, end = getattr(obj, start_field), getattr(obj, end_field)
    if start is not None and end is not None and end < start and end_field not in errors:
        errors[end_field] = message
