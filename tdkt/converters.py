"""URL converters that keep out-of-range numbers away from the database.

``<int:pk>`` accepts any number of digits: an id beyond the 64-bit range reaches the database and
answers 500 (SQLite: OverflowError, PostgreSQL: "out of range"). ``<id:pk>`` accepts at most 18 digits
(always inside a BIGINT) and ``<year:year>`` four digits, so anything else is simply not found (404).
Registered in ``tdkt/urls.py`` before the apps' URLs are loaded.
"""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(int(value))


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"
