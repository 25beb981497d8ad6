"""The canonical content of a wide row (185 columns, more than one concat() took before stop 30)
is the documented text: every column, keys sorted bytewise, as the row's jsonb reading gives it,
and the hash the trigger stores is its SHA-256. Its pieces are joined by || paired as a balanced
tree (issue 18, stop 30): no chain of || that copies the text once per column, no concat(); a
boolean column is written as one of three literals."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.db import connection

from common.chain_sql import apply_stable_settings

pytestmark = pytest.mark.django_db

WIDTH = 185


def _widest_join(sql: str) -> int:
    """The most pieces one parenthesised level of ``sql`` joins by || (literals and quoted names
    blanked first): 2 or 3 in a balanced tree, one per column in a chain."""
    bare = re.sub(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"", "''", sql)
    stack, widest = [0], 0
    for token in re.findall(r"\(|\)|\|\|", bare):
        if token == "(":
            stack.append(0)
        elif token == ")":
            widest = max(widest, stack.pop() + 1)
        else:
            stack[-1] += 1
    return max(widest, stack[0] + 1)


def _sql(n: int) -> str:
    return [f"'v\"{n}'", str(n), "'2026-04-06 10:00+01'", "true", "NULL"][n % 5]


def _text(n: int) -> str | None:
    return [f'v"{n}', str(n), "2026-04-06T09:00:00+00:00", "true", None][n % 5]


def test_a_row_of_185_columns_is_written_whole_in_sorted_order():
    if connection.vendor != "postgresql":
        pytest.skip("the chain is kept on PostgreSQL only")
    names = [f"c{n:03d}" for n in range(WIDTH)]
    kinds = ["text", "int", "timestamptz", "bool", "date"]
    columns = ", ".join(f"{name} {kinds[n % 5]}" for n, name in enumerate(names))
    with connection.cursor() as cursor:
        apply_stable_settings(cursor)
        cursor.execute(f"CREATE TEMP TABLE wide ({columns}) ON COMMIT DROP")
        cursor.execute(f"INSERT INTO wide VALUES ({', '.join(_sql(n) for n in range(WIDTH))})")
        layout = json.dumps(list(reversed(names)))
        cursor.execute(
            "SELECT audit_chain_canonical_expr(%s::jsonb, 'x', audit_chain_types('wide'))",
            [layout],
        )
        by_column = cursor.fetchone()[0].replace("%", "%%")
        assert "concat(" not in by_column
        assert _widest_join(by_column) <= 3  # '{' || tree || '}'; a chain joined 370 pieces
        # A boolean is one of three literals, not its text quoted by two || (stop 30).
        assert "THEN '\"true\"' WHEN NOT" in by_column
        cursor.execute(
            f"SELECT {by_column}, audit_chain_hash({by_column}), "
            "audit_chain_canonical(audit_chain_jsonb(x), %s::jsonb) FROM wide x",
            [layout],
        )
        [(typed, digest, from_jsonb)] = cursor.fetchall()
    expected = {name: _text(n) for n, name in enumerate(names)}
    assert typed == from_jsonb == json.dumps(expected, separators=(",", ":"), ensure_ascii=False)
    assert digest == hashlib.sha256(typed.encode()).hexdigest()
