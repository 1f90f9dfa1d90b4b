"""Statements written once, for the few hot paths of the workflow, on ordinary model instances.

The ORM compiles a queryset to SQL on every evaluation; on a transition that runs thousands of
times a minute that compilation costs more than the database does. Such a path writes its statement
once: it selects the columns `select_list` gives and turns each row back into model instances here,
exactly as the ORM would (`Model.from_db`); it inserts an instance with the columns and values
`insert_parts` gives (each field prepared as `Model.save` would); and a filter that must stay the
ORM's (the visibility function) is compiled once per input with `compiled`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import signals
from django.db.models.base import ModelState

Row = TypeVar("Row", bound=models.Model)


Converter = Callable[[Any, Any, Any], Any]


@functools.cache
def _fields(model: type[models.Model]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    fields = model._meta.concrete_fields
    return tuple(str(field.column) for field in fields), tuple(field.attname for field in fields)


@functools.cache
def _converters(model: type[models.Model]) -> tuple[tuple[int, Any, tuple[Converter, ...]], ...]:
    """Per column that needs one, the converters the ORM's compiler applies (a JSON field's decoding)."""
    connection = connections[DEFAULT_DB_ALIAS]
    found = []
    for index, field in enumerate(model._meta.concrete_fields):
        column = field.cached_col
        converters = tuple(connection.ops.get_db_converters(column)) + tuple(column.get_db_converters(connection))
        if converters:
            found.append((index, column, converters))
    return tuple(found)


def width(model: type[models.Model]) -> int:
    """How many columns `select_list(model, ...)` selects."""
    return len(_fields(model)[0])


def select_list(model: type[models.Model], alias: str) -> str:
    """Every concrete column of `model`, qualified by `alias`, in the order `instance` reads them."""
    columns, _ = _fields(model)
    return ", ".join(f'{alias}."{column}"' for column in columns)


def instance(model: type[Row], values: Sequence[object]) -> Row:
    """The model instance of `values`, as loaded from the database (not `_state.adding`).

    It is what `Model.from_db` makes of a full row, made directly where nothing can tell the difference:
    a model that keeps Django's `__init__` and `from_db`, with no pre_init or post_init receiver. Given
    every concrete field in order, `Model.__init__` only sets each attname on a new instance (a foreign
    key's descriptor has nothing cached to clear on one), and `from_db` then marks it as loaded.
    """
    _, attnames = _fields(model)
    converted = list(values)
    if converted_columns := _converters(model):
        connection = connections[DEFAULT_DB_ALIAS]
        for index, column, converters in converted_columns:
            for converter in converters:
                converted[index] = converter(converted[index], column, connection)
    if not _plain(model) or signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return model.from_db(DEFAULT_DB_ALIAS, list(attnames), converted)
    obj = model.__new__(model)
    state = obj._state = ModelState()
    state.adding, state.db = False, DEFAULT_DB_ALIAS
    obj.__dict__.update(zip(attnames, converted, strict=True))
    return obj


@functools.cache
def _plain(model: type[models.Model]) -> bool:
    """Whether `model` makes its instances as `models.Model` does."""
    return model.__init__ is models.Model.__init__ and model.from_db.__func__ is models.Model.from_db.__func__  # type: ignore[attr-defined]


First = TypeVar("First", bound=models.Model)
Second = TypeVar("Second", bound=models.Model)
Third = TypeVar("Third", bound=models.Model)


def pair(row: Sequence[object], first: type[First], second: type[Second]) -> tuple[First, Second]:
    """Split a joined row into the instances of two models, in the order their select lists were written."""
    _check_width(row, first, second)
    cut = width(first)
    return instance(first, row[:cut]), instance(second, row[cut:])


def triple(
    row: Sequence[object], first: type[First], second: type[Second], third: type[Third]
) -> tuple[First, Second, Third]:
    """Split a joined row into the instances of three models, as `pair` does for two."""
    _check_width(row, first, second, third)
    one, two = width(first), width(first) + width(second)
    return instance(first, row[:one]), instance(second, row[one:two]), instance(third, row[two:])


Fourth = TypeVar("Fourth", bound=models.Model)


def split4(
    row: Sequence[object], first: type[First], second: type[Second], third: type[Third], fourth: type[Fourth]
) -> tuple[First, Second, Third, Fourth]:
    """Split a joined row into the instances of four models, as `pair` does for two."""
    _check_width(row, first, second, third, fourth)
    one, two, three = width(first), width(first) + width(second), width(first) + width(second) + width(third)
    return (
        instance(first, row[:one]),
        instance(second, row[one:two]),
        instance(third, row[two:three]),
        instance(fourth, row[three:]),
    )


def _check_width(row: Sequence[object], *models_in_order: type[models.Model]) -> None:
    expected = sum(width(model) for model in models_in_order)
    if len(row) != expected:
        raise ValueError(f"the row has {len(row)} columns; the models read {expected}")


def compiled(queryset: models.QuerySet[Any]) -> tuple[str, tuple[Any, ...]] | None:
    """The queryset's SQL and parameters, to be used as a subquery; None when it can match nothing."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


def insert_parts(
    obj: models.Model, *, prefix: str, columns_sql: Mapping[str, str] | None = None
) -> tuple[str, str, dict[str, Any]]:
    """The column list, the VALUES list (named placeholders under `prefix`) and the parameters that
    insert `obj` as `obj.save()` would, leaving out its auto primary key. `columns_sql` gives SQL in
    place of a parameter for some columns (a foreign key to a row inserted earlier in the statement)."""
    connection = connections[DEFAULT_DB_ALIAS]
    overrides = columns_sql or {}
    columns: list[str] = []
    values: list[str] = []
    params: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key and getattr(obj, field.attname) is None:
            continue
        column = str(field.column)
        columns.append(f'"{column}"')
        if column in overrides:
            values.append(overrides[column])
            continue
        name = f"{prefix}_{field.attname}"
        values.append(f"%({name})s")
        params[name] = field.get_db_prep_save(field.pre_save(obj, add=True), connection)
    return ", ".join(columns), ", ".join(values), params


@dataclass(frozen=True)
class Rider:
    """A write whose outcome nobody reads, sent inside another statement (a CTE of it) rather than as
    a statement of its own: one round trip for both. Its parameters are named (`%(name)s`) and must
    not clash with the carrier's. All parts of one statement see the rows as they were before it, so
    a rider writes rows that neither the carrier nor another rider reads or writes."""

    sql: str
    params: Mapping[str, Any]


def rider_ctes(riders: Sequence[Rider], params: dict[str, Any]) -> list[str]:
    """The CTEs (`rider_0 AS (...)`, ...) that carry `riders` in a statement, their parameters added to
    `params` (a name the statement already uses is refused rather than silently overwritten)."""
    for rider in riders:
        clash = params.keys() & rider.params.keys()
        if clash:
            raise ValueError(f"a rider's parameters clash with the statement's: {sorted(clash)}")
        params.update(rider.params)
    return [f"rider_{index} AS ({rider.sql})" for index, rider in enumerate(riders)]


def insert_rider(obj: models.Model, *, prefix: str) -> Rider:
    """`obj` inserted as `obj.save()` would, as a rider (its primary key stays unknown to the caller)."""
    columns, values, params = insert_parts(obj, prefix=prefix)
    return Rider(f'INSERT INTO "{obj._meta.db_table}" ({columns}) VALUES ({values})', params)  # noqa: S608


def update_rider(obj: models.Model, names: Sequence[str], *, prefix: str) -> Rider:
    """`names` of `obj` written to its row, as `obj.save(update_fields=names)` would, as a rider. The row
    must exist: a rider reports no row count (lock it first, as the workflow does)."""
    connection = connections[DEFAULT_DB_ALIAS]
    assignments: list[str] = []
    params: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise ValueError(f"{name} is not a column of {obj._meta.db_table}")
        assignments.append(f'"{field.column}" = %({prefix}_{field.attname})s')
        params[f"{prefix}_{field.attname}"] = field.get_db_prep_save(field.pre_save(obj, add=False), connection)
    params[f"{prefix}_pk"] = obj.pk
    pk = obj._meta.pk
    return Rider(
        f'UPDATE "{obj._meta.db_table}" SET {", ".join(assignments)} WHERE "{pk.column}" = %({prefix}_pk)s',  # noqa: S608
        params,
    )


def insert(obj: models.Model, *, riders: Sequence[Rider] = ()) -> None:
    """Insert `obj` as `obj.save()` would, in one statement (with `riders`, if any), and set its primary key."""
    columns, values, params = insert_parts(obj, prefix="new")
    ctes = rider_ctes(riders, params)
    carried = f"WITH {', '.join(ctes)} " if ctes else ""
    pk = obj._meta.pk
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            f'{carried}INSERT INTO "{obj._meta.db_table}" ({columns}) VALUES ({values}) RETURNING "{pk.column}"',  # noqa: S608
            params,
        )
        row = cursor.fetchone()
    if row is None:  # an INSERT ... RETURNING returns its row
        raise RuntimeError(f"{obj._meta.db_table}: the insert returned no row")
    setattr(obj, pk.attname, row[0])
    obj._state.adding = False
    obj._state.db = DEFAULT_DB_ALIAS


def update_fields(obj: models.Model, names: Sequence[str]) -> None:
    """Write `names` of `obj` to its row, as `obj.save(update_fields=names)` would for a row that exists."""
    connection = connections[DEFAULT_DB_ALIAS]
    fields = [obj._meta.get_field(name) for name in names]
    assignments = ", ".join(f'"{field.column}" = %s' for field in fields if isinstance(field, models.Field))
    values = [
        field.get_db_prep_save(field.pre_save(obj, add=False), connection)
        for field in fields
        if isinstance(field, models.Field)
    ]
    pk = obj._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{obj._meta.db_table}" SET {assignments} WHERE "{pk.column}" = %s',  # noqa: S608
            [*values, obj.pk],
        )
        if cursor.rowcount != 1:
            raise RuntimeError(f"{obj._meta.db_table} {obj.pk}: {cursor.rowcount} rows updated, expected 1")
