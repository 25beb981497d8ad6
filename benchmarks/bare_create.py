"""The bare INSERT view the API create is measured against (benchmarks/api_throughput.py).

It parses the JSON body and INSERTs one complaint row with every NOT NULL column, in one
statement, and answers 201 with the new id: no authentication, validation, DISP clock, history,
reference counter or rendering. The other columns are copied from one of the firm's complaints,
read once per process (the seeded ones), so the row is as wide as a real one.
"""

from __future__ import annotations

import json
import uuid

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from psycopg.types.json import Jsonb

_templates: dict[int, tuple[str, list[str], list[object]]] = {}
_PER_REQUEST = ("reference", "description", "received_at", "created_at", "updated_at")


def _template(firm_id: int) -> tuple[str, list[str], list[object]]:
    if firm_id not in _templates:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT * FROM complaints_complaint WHERE firm_id = %s ORDER BY id LIMIT 1",
                [firm_id],
            )
            row = cursor.fetchone()
            names = [column.name for column in cursor.description]
        keep = [(n, v) for n, v in zip(names, row, strict=True) if n != "id"]
        columns = [n for n, _ in keep]
        values = [Jsonb(v) if isinstance(v, dict | list) else v for _, v in keep]
        sql = (
            f"INSERT INTO complaints_complaint ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))}) RETURNING id"
        )
        _templates[firm_id] = (sql, columns, values)
    return _templates[firm_id]


@csrf_exempt
def insert(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body)
    sql, columns, values = _template(int(body["firm_id"]))
    now = timezone.now()
    row = dict(zip(columns, values, strict=True))
    row.update(
        reference=f"BARE-{uuid.uuid4().hex[:12]}",
        description=body["description"],
        received_at=now,
        created_at=now,
        updated_at=now,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [row[c] for c in columns])
        (pk,) = cursor.fetchone()
    return JsonResponse({"id": pk, "reference": row["reference"]}, status=201)
