"""Kept for the migrations that name these validators (``movements`` 0004, 0005); they live in
:mod:`tdkt.validators`, shared with the nominations app."""

from tdkt.validators import DATE_MAX, DATE_MIN, YEAR_MAX, YEAR_MIN, check_ordered, validate_date_bounds, validate_year_bounds

__all__ = ["DATE_MAX", "DATE_MIN", "YEAR_MAX", "YEAR_MIN", "check_ordered", "validate_date_bounds", "validate_year_bounds"]
