"""A queryset compiled to SQL once per process, run with new values bound (issue 18).

Django builds a queryset's SQL again on every evaluation: resolving its expressions, joins and
``select_related`` columns and writing the SQL cost 1.5-2.5 ms of CPU for the API's complaint
detail and list, more than the database took to answer. The hottest reads keep one shape and
change only a few values (a token's prefix, a complaint's id, a firm's id), so ``Compiled``
compiles the queryset once per database alias with sentinel values in their places and each run
binds the real values in those places: the same SQL and parameters the queryset would have
sent, and rows built as the queryset builds them (the compiler's converters, ``from_db``,
``select_related`` objects, annotations). tests/common/test_compiled.py compares both.

Only values the compiler passes as parameters can be bound (filter values, not a slice's
``LIMIT``/``OFFSET``, which Django writes into the SQL): a sentinel the SQL does not carry as a
parameter is refused when the query is compiled.

``prepared=True`` (PostgreSQL) also has the server plan it once per connection
(``common.prepared``): planning the API's complaint detail (~130 columns, four tables, their
~40 indexes) cost PostgreSQL 1-2.5 ms of CPU a request against 0.1-0.3 ms to run it (issue 18).
With prepared statements turned off (``DB_PREPARED_READS=false``) a prepared read is sent as
any other. The query log records the statement with its values in place either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

from .instances import instance_builder
from .prepared import prepared_cursor

# The value a read compiled by a primary or foreign key is compiled with: an id no row has, so
# the compiled SQL carries it as a parameter each run replaces with its own id.
ANY_ID = -987_654_321


def cursor(using: str, prepared: bool):
    """A cursor of ``using``, through Django's wrapper (errors, execute wrappers, the query
    log); for a ``prepared`` read, one whose statements the server prepares where it may
    (``common.prepared``)."""
    db = connections[using]
    found = prepared_cursor(db, "%s") if prepared else None
    return db.cursor() if found is None else found


@dataclass
class _Plan:
    sql: str
    params: list[Any]
    slots: list[list[int]]  # each sentinel's positions among the parameters
    compiler: SQLCompiler
    converters: dict
    builders: _Builders | None = None  # objects()'s, kept unless its fetch mode tracks peers


@dataclass
class _Builders:
    """How ``objects()`` builds a row's model instances: the model's columns and builder, the
    ``select_related`` populators (each holding no row's state unless its fetch mode tracks
    peers; their instances built by ``common.instances`` too) and the annotations'
    positions."""

    model: Any
    start: int
    stop: int
    init_list: list[str]
    build: Callable[..., Any]
    populators: list[Any]
    annotations: list[tuple[str, int]]

    @classmethod
    def of(cls, compiler: SQLCompiler, db: str, fetch_mode: Any) -> _Builders:
        select, klass_info = compiler.select, compiler.klass_info
        assert klass_info is not None, "objects() needs a model queryset"
        start, stop = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [f[0].target.attname for f in select[start:stop]]
        populators = get_related_populators(klass_info, select, db, fetch_mode)
        _build_related_quickly(populators, fetch_mode)
        return cls(
            klass_info["model"],
            start,
            stop,
            init_list,
            instance_builder(klass_info["model"], init_list, fetch_mode),
            populators,
            list((compiler.annotation_col_map or {}).items()),
        )


def _build_related_quickly(populators: list[Any], fetch_mode: Any) -> None:
    """Django's ``RelatedPopulator`` builds its instances by its ``from_db`` attribute (a
    ``partial`` of the model's ``from_db``): give it a ``common.instances`` builder instead."""
    for populator in populators:
        populator.from_db = instance_builder(populator.model_cls, populator.init_list, fetch_mode)
        _build_related_quickly(populator.related_populators, fetch_mode)


class Compiled[M: Model]:
    """``queryset`` compiled once per database alias; ``sentinels`` mark its bindable values."""

    def __init__(self, queryset: QuerySet[M], *sentinels: Any, prepared: bool = False) -> None:
        self.queryset = queryset
        self.sentinels = sentinels
        self.prepared = prepared
        self._plans: dict[str, _Plan] = {}

    def _plan(self, using: str) -> _Plan:
        plan = self._plans.get(using)
        if plan is None:
            compiler = self.queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            params = list(params)
            slots = [[i for i, p in enumerate(params) if p == s] for s in self.sentinels]
            missing = [s for s, at in zip(self.sentinels, slots, strict=True) if not at]
            if missing:
                raise ValueError(f"Not a parameter of the compiled SQL: {missing!r}")
            fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
            converters = compiler.get_converters(fields)
            plan = self._plans[using] = _Plan(sql, params, slots, compiler, converters)
        return plan

    def rows(self, *values: Any) -> list[tuple]:
        """The rows for ``values`` (one per sentinel, in order), each a tuple of the selected
        columns with the fields' converters applied."""
        return self._rows(self.queryset.db, values)[1]

    def count(self, *values: Any) -> int:
        """How many rows the query returns for ``values``: ``SELECT COUNT(*)`` over it as a
        subquery, as Django counts a sliced queryset."""
        plan = self._plan(self.queryset.db)
        sql = f"SELECT COUNT(*) FROM ({plan.sql}) subquery"
        with cursor(self.queryset.db, self.prepared) as run:
            run.execute(sql, self._bind(plan, values))
            return run.fetchone()[0]

    @staticmethod
    def _bind(plan: _Plan, values: tuple) -> list[Any]:
        params = list(plan.params)
        for at, value in zip(plan.slots, values, strict=True):
            for i in at:
                params[i] = value
        return params

    def _rows(self, using: str, values: tuple) -> tuple[_Plan, list]:
        plan = self._plan(using)
        with cursor(using, self.prepared) as run:
            run.execute(plan.sql, self._bind(plan, values))
            rows = run.fetchall()
        if plan.converters:
            rows = list(plan.compiler.apply_converters(rows, plan.converters))
        return plan, rows

    def objects(self, *values: Any) -> list[M]:
        """The model instances for ``values``, built as the queryset's ``ModelIterable`` builds
        them: the model's ``from_db``, its ``select_related`` objects, its annotations."""
        db = self.queryset.db
        plan, rows = self._rows(db, values)
        fetch_mode = self.queryset._fetch_mode  # type: ignore[attr-defined]
        built = plan.builders or _Builders.of(plan.compiler, db, fetch_mode)
        if not fetch_mode.track_peers:  # building them was a tenth of a detail's fetch
            plan.builders = built
        build, start, stop, init_list = built.build, built.start, built.stop, built.init_list
        out = []
        for row in rows:
            obj = build(db, init_list, row[start:stop])
            for populator in built.populators:
                populator.populate(row, obj)
            for name, at in built.annotations:
                setattr(obj, name, row[at])
            out.append(obj)
        return out


def any_ids(count: int) -> list[int]:
    """``count`` ids no row has (``ANY_ID`` and the ids below it): the places of a list of ids
    in a compiled read (``id__in`` of a page's rows, ``firm_id__in`` of the user's firms)."""
    return [ANY_ID - i for i in range(count)]


class CompiledByIds[M: Model]:
    """A read of a list of ids (``build(key, ids)``: the queryset for ``key``, a hashable the
    SQL depends on such as a date, and the ids), compiled once per key and number of ids (the
    last ``size`` kept) and run with the ids bound. No ids, no query: Django's ``__in`` of an
    empty list sends none either."""

    def __init__(self, build: Callable[[Any, list[int]], QuerySet[M]], size: int = 64) -> None:
        self.build = build
        self._compiled = lru_cache(maxsize=size)(self._compile)

    def _compile(self, key: Any, count: int) -> Compiled[M]:
        return Compiled(self.build(key, any_ids(count)), *any_ids(count))

    def objects(self, key: Any, ids: Sequence[int]) -> list[M]:
        return self._compiled(key, len(ids)).objects(*ids) if ids else []

    def count(self, key: Any, ids: Sequence[int]) -> int:
        """``Compiled.count`` of the read: ``SELECT COUNT(*)`` over it as a subquery."""
        return self._compiled(key, len(ids)).count(*ids) if ids else 0
