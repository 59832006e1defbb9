"""Django's model validation for a whole list of objects at once, in a number of queries that does not grow
with the list.

``Model.full_clean()`` asks the database once per foreign key (does the row exist?), once per unique check and
once per check constraint, for every object: 5,000 imported rows would cost tens of thousands of queries.
:func:`clean_many` judges each object exactly as ``full_clean()`` would (the same messages, in the same order),
but asks the database once per foreign key field and once per unique check *for the whole list*, and evaluates
check constraints in Python when their condition is a plain ``Q`` of lookups on the model's own columns
(``isnull``, ``exact``, ``in`` and comparisons with literal values; SQL's three-valued logic, a constraint that
evaluates to UNKNOWN passes, as in the database). A constraint it cannot evaluate so (an expression, a lookup
across a relation, a ``UniqueConstraint``) is validated by Django, per object: correct, only slower; the query
count tests of the callers notice it.

Beyond ``full_clean()``: two objects of the list with the same values for a unique check are refused too (the
database would refuse the second at insert).
"""

import operator
from functools import reduce

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.db.models import CheckConstraint, Q
from django.db.models.expressions import DatabaseDefault


class ManyValidationError(ValidationError):
    """The errors of a list validated at once: ``by_index`` maps the position of each failing object in the list
    to its :class:`~django.core.exceptions.ValidationError`. Its own messages are all of them, in list order."""

    def __init__(self, by_index):
        self.by_index = dict(sorted(by_index.items()))
        super().__init__([message for error in self.by_index.values() for message in error.messages])


# ---------------------------------------------------------------- check constraints in Python

class Unsupported(Exception):
    """A constraint condition :func:`condition_holds` cannot evaluate without the database."""


_COMPARE = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}


def _leaf(model, obj, lookup, target):
    """``True``, ``False`` or ``None`` (SQL's UNKNOWN) for one ``field__lookup=target`` of ``obj``."""
    parts = lookup.split("__")
    if len(parts) > 2 or hasattr(target, "resolve_expression") or isinstance(target, models.Model):
        raise Unsupported(lookup)
    try:
        field = model._meta.get_field(parts[0])
    except FieldDoesNotExist as exc:  # a lookup across a relation or a transform
        raise Unsupported(lookup) from exc
    if not getattr(field, "concrete", False) or field.many_to_many:
        raise Unsupported(lookup)
    kind = parts[1] if len(parts) == 2 else "exact"
    value = getattr(obj, field.attname)
    if kind == "isnull":
        return (value is None) == bool(target)
    if kind == "exact" and target is None:
        return value is None
    if value is None:
        return None
    if kind == "exact":
        return value == target
    if kind == "in":
        return value in list(target)
    if kind in _COMPARE and not isinstance(target, str):  # text order follows the database's collation
        return _COMPARE[kind](value, target)
    raise Unsupported(lookup)


def _node(model, obj, node):
    if not isinstance(node, Q):
        raise Unsupported(node)
    values = [_node(model, obj, child) if isinstance(child, Q) else _leaf(model, obj, *child) for child in node.children]
    if node.connector == Q.AND:
        result = False if False in values else (None if None in values else True)
    elif node.connector == Q.OR:
        result = True if True in values else (None if None in values else False)
    else:
        raise Unsupported(node.connector)
    if node.negated:
        return None if result is None else not result
    return result


def _referenced(node):
    """Field names a ``Q`` condition refers to (the first part of each lookup)."""
    names = set()
    for child in node.children:
        names |= _referenced(child) if isinstance(child, Q) else {child[0].split("__")[0]}
    return names


def _field_names(model, names):
    """The field names of ``names`` (``person_id`` → ``person``), as ``exclude`` holds them."""
    result = set()
    for name in names:
        try:
            result.add(model._meta.get_field(name).name)
        except FieldDoesNotExist:  # not a field (the condition is then Unsupported anyway)
            result.add(name)
    return result


def condition_holds(model, obj, condition, *, unknown_passes=True):
    """Whether ``obj`` satisfies a check constraint's ``condition`` (UNKNOWN passes where the database compares
    boolean expressions, as ``CheckConstraint.validate`` does). Raises :class:`Unsupported` for what needs the
    database."""
    result = _node(model, obj, condition)
    return result is not False if unknown_passes else result is True


# ---------------------------------------------------------------- the list

def _existing_targets(objs, fk_fields):
    """``{field: set(values that exist)}``: one query per foreign key field for the whole list."""
    existing = {}
    for field in fk_fields:
        values = set()
        for obj in objs:
            try:
                value = field.to_python(getattr(obj, field.attname))
            except ValidationError:
                continue
            if value is not None:
                values.add(value)
        if not values:
            existing[field] = set()
            continue
        remote = field.remote_field
        using = router.db_for_read(remote.model, instance=objs[0])
        qs = remote.model._base_manager.using(using).filter(**{f"{remote.field_name}__in": values})
        existing[field] = set(qs.complex_filter(field.get_limit_choices_to()).order_by().values_list(remote.field_name, flat=True))
    return existing


def _clean_fields(obj, exclude, existing):
    """``Model.clean_fields()`` with the existence of foreign keys looked up in ``existing`` (no query)."""
    errors = {}
    for f in obj._meta.fields:
        if f.name in exclude or f.generated:
            continue
        raw_value = getattr(obj, f.attname)
        if f.blank and raw_value in f.empty_values:
            continue
        if isinstance(raw_value, DatabaseDefault):
            continue
        try:
            if f in existing:
                value = f.to_python(raw_value)
                models.Field.validate(f, value, obj)  # what ForeignKey.validate checks before its query
                f.run_validators(value)
                if value is not None and value not in existing[f]:
                    remote = f.remote_field
                    raise ValidationError(f.error_messages["invalid"], code="invalid", params={
                        "model": remote.model._meta.verbose_name, "pk": value, "field": remote.field_name, "value": value})
                setattr(obj, f.attname, value)
            else:
                setattr(obj, f.attname, f.clean(raw_value, obj))
        except ValidationError as e:
            errors[f.name] = e.error_list
    if errors:
        raise ValidationError(errors)


def _unique_errors(objs, excludes):
    """``{index: {field or NON_FIELD_ERRORS: [errors]}}`` of ``Model.validate_unique()``: one query per unique
    check for the whole list, and the objects of the list clashing with each other."""
    wanted = {}  # (model_class, fields) -> [(index, values)]
    for index, obj in enumerate(objs):
        if excludes[index] is None:
            continue
        unique_checks, date_checks = obj._get_unique_checks(exclude=excludes[index])
        if date_checks:
            excludes[index] = None  # unique_for_date: left to Django, per object (see full_clean_many callers)
            continue
        connection = connections[router.db_for_write(type(obj), instance=obj)]
        for model_class, check in unique_checks:
            values = []
            for name in check:
                f = obj._meta.get_field(name)
                value = getattr(obj, f.attname)
                if value is None or (value == "" and connection.features.interprets_empty_strings_as_nulls):
                    break
                if f in model_class._meta.pk_fields and not obj._state.adding:
                    break
                values.append(value)
            else:
                wanted.setdefault((model_class, check), []).append((index, tuple(values)))
    errors = {}
    for (model_class, check), items in wanted.items():
        found = {}
        condition = reduce(operator.or_, (Q(**dict(zip(check, values, strict=True))) for _i, values in items))
        for row in model_class._default_manager.filter(condition).values_list(*check, "pk"):
            found.setdefault(tuple(row[:-1]), set()).add(row[-1])
        seen = set()
        for index, values in items:
            obj = objs[index]
            own = obj._get_pk_val(model_class._meta) if not obj._state.adding else None
            if (found.get(values, set()) - {own}) or values in seen:
                key = check[0] if len(check) == 1 else NON_FIELD_ERRORS
                errors.setdefault(index, {}).setdefault(key, []).append(obj.unique_error_message(model_class, check))
            seen.add(values)
    return errors


def _constraint_errors(obj, exclude, using):
    """``Model.validate_constraints()``, with the check constraints evaluated in Python where possible."""
    errors = {}
    for model_class, constraints in obj.get_constraints():
        for constraint in constraints:
            try:
                if isinstance(constraint, CheckConstraint) and isinstance(constraint.condition, Q):
                    if exclude and _field_names(model_class, _referenced(constraint.condition)) & set(exclude):
                        continue
                    try:
                        holds = condition_holds(model_class, obj, constraint.condition,
                                                unknown_passes=connections[using].features.supports_comparing_boolean_expr)
                    except Unsupported:
                        constraint.validate(model_class, obj, exclude=exclude, using=using)
                    else:
                        if not holds:
                            raise ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
                else:
                    constraint.validate(model_class, obj, exclude=exclude, using=using)
            except ValidationError as e:
                if getattr(e, "code", None) == "unique" and len(getattr(constraint, "fields", ())) == 1:
                    errors.setdefault(constraint.fields[0], []).append(e)
                else:
                    errors = e.update_error_dict(errors)
    return errors


def clean_many(objs, *, exclude=None):
    """``{index: ValidationError}`` of ``full_clean(exclude)`` for each object of ``objs`` (one model), the same
    judgement in a number of queries that does not depend on the length of the list (see the module)."""
    objs = list(objs)
    if not objs:
        return {}
    fk_fields = [f for f in objs[0]._meta.fields if f.is_relation and f.many_to_one and not f.remote_field.parent_link
                 and not (exclude and f.name in exclude)]
    existing = _existing_targets(objs, fk_fields)
    found, excludes = [], []
    for obj in objs:
        errors = {}
        skip = set(exclude or ())
        try:
            _clean_fields(obj, skip, existing)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        try:
            obj.clean()
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        skip |= {name for name in errors if name != NON_FIELD_ERRORS}
        found.append(errors)
        excludes.append(skip)
    unique = _unique_errors(objs, excludes)
    result = {}
    for index, obj in enumerate(objs):
        errors = found[index]
        if excludes[index] is None:  # date checks: Django's own validate_unique, per object
            skip = set(exclude or ()) | {name for name in errors if name != NON_FIELD_ERRORS}
            try:
                obj.validate_unique(exclude=skip)
            except ValidationError as e:
                errors = e.update_error_dict(errors)
        else:
            for key, messages in unique.get(index, {}).items():
                errors.setdefault(key, []).extend(messages)
        skip = set(exclude or ()) | {name for name in errors if name != NON_FIELD_ERRORS}
        using = router.db_for_write(type(obj), instance=obj) or DEFAULT_DB_ALIAS
        for key, messages in _constraint_errors(obj, skip, using).items():
            errors.setdefault(key, []).extend(messages)
        if errors:
            result[index] = ValidationError(errors)
    return result
