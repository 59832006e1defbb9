"""Database helpers shared by every app.

``field__any=[…]`` (registered on every field in ``TdktConfig.ready()``) means exactly ``field__in=[…]`` with a
list of values (ids, codes, years; on a foreign key also model instances, as ``__in``), but on PostgreSQL it sends
the list as ONE array parameter, ``field = ANY(%s::type[])``, instead of one placeholder per value. psycopg parses
and rewrites each placeholder of a query, so a check over 1,000 nominations with several 1,000-value ``IN (…)``
lists spent most of its time there; the array also keeps the query text the same whatever the number of values.
Everywhere else (SQLite) it is Django's ``IN``. As with ``__in``, ``None`` is dropped, an empty list matches
nothing and a queryset on the right becomes the usual ``IN (SELECT …)``.

A list of plain integers against an integer column (the common case: ids) skips Django's per-value preparation
(``int(value)`` of an ``int``) and is sent as the array's text, ``'{1,2,3}'``, which psycopg passes as one string
instead of adapting each element.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject
from django.db.models.expressions import ColPairs
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In

INTEGER_TYPES = frozenset({"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
                           "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField"})


def _target_field(field):
    """The column's own field: a foreign key's target (recursively), else the field."""
    while getattr(field, "target_field", None) is not None and field.is_relation:
        field = field.target_field
    return field


class AnyOf(In):
    lookup_name = "any"

    def _direct(self):
        """A list of values (not a subquery) against one plain column (no bilateral transform, not a composite key)."""
        bilateral = self.lhs.get_bilateral_transforms() if hasattr(self.lhs, "get_bilateral_transforms") else []
        return self.rhs_is_direct_value() and not bilateral and not isinstance(self.lhs, ColPairs)

    def _int_values(self):
        """The values when they are all plain ints against an integer column (no preparation needed), else ``None``."""
        if not self._direct():
            return None
        if _target_field(self.lhs.output_field).get_internal_type() not in INTEGER_TYPES:
            return None
        if not isinstance(self.rhs, (list, tuple, set, frozenset)):
            self.rhs = list(self.rhs)
        return self.rhs if all(type(v) is int for v in self.rhs) else None

    def get_prep_lookup(self):
        ints = self._int_values()
        self.plain_ints = ints is not None  # checked once: compiled as is on PostgreSQL
        if self.plain_ints:
            return ints
        return super().get_prep_lookup()

    def as_postgresql(self, compiler, connection):
        if not self._direct():
            return super().as_sql(compiler, connection)
        if self.plain_ints:
            values = sorted(set(self.rhs))
            param = "{" + ",".join(map(str, values)) + "}"
        else:
            values = self._plain_values()
            if values is None:  # expressions in the list
                return super().as_sql(compiler, connection)
            param = list(self.get_db_prep_lookup(values, connection)[1])
        if not values:
            raise EmptyResultSet
        db_type = self.lhs.output_field.cast_db_type(connection)
        if not db_type:
            return super().as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs_sql} = ANY(%s::{db_type}[])", (*lhs_params, param)

    def _plain_values(self):
        """The list's values without ``None`` and duplicates, or ``None`` when it holds expressions."""
        values = []
        seen = set()
        for value in self.rhs:
            if hasattr(value, "resolve_expression") or hasattr(value, "as_sql"):
                return None
            if value is None:
                continue
            try:
                if value in seen:
                    continue
                seen.add(value)
            except TypeError:  # unhashable: kept, as ``In`` does
                pass
            values.append(value)
        return values


class RelatedAnyOf(AnyOf, RelatedIn):
    """``__any`` on a foreign key (``person__any``, ``person_id__any``): ids or instances, like ``__in``."""


def register_lookups():
    """Called once from ``TdktConfig.ready()``: a foreign key sees only the lookups registered on ForeignObject."""
    Field.register_lookup(AnyOf)
    ForeignObject.register_lookup(RelatedAnyOf)
