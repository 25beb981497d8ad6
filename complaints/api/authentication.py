"""The API's token authentication reading the token, its user and the user's firm memberships
in one query (issue 18).

``common.authentication.ApiTokenAuthentication`` reads the token with its user; every API view
then asks ``complaints.access`` for the user's memberships, a second query (about 1.4 ms of CPU
each on the complaint detail and list). ``common`` cannot read memberships (they are the
complaints app's), so this subclass, named in the REST framework's settings, reads them with the
token: the memberships of the token's user with their firms, joined to the token's row, compiled
once per process (``common.compiled``). Every check stays the parent's (the hash, revocation,
the inactive user, the last-used stamp, the 401 and its header), and nothing is cached between
requests: a revoked token or a removed membership loses access on the next request.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db.models import F

from common.authentication import ApiTokenAuthentication
from common.compiled import Compiled
from common.instances import instance_builder
from common.models import ApiToken
from complaints.models import Firm, Membership

_PREFIX = "\x00prefix"  # the compiled query's placeholder for the token's prefix

_MEMBERSHIP_FIELDS = Membership._meta.concrete_fields
_FIRM_FIELDS = Firm._meta.concrete_fields
_MEMBERSHIP_COLUMNS = [f"m{i}" for i in range(len(_MEMBERSHIP_FIELDS))]
_FIRM_COLUMNS = [f"f{i}" for i in range(len(_FIRM_FIELDS))]
_MEMBERSHIP_ATTNAMES = [f.attname for f in _MEMBERSHIP_FIELDS]
_FIRM_ATTNAMES = [f.attname for f in _FIRM_FIELDS]


@cache
def _token_with_memberships() -> Compiled:
    """The token by prefix with its user, one row per membership of the user (ordered by id;
    one row of NULL membership columns when there is none), each with its firm's columns."""
    path = "user__memberships__"
    members = zip(_MEMBERSHIP_COLUMNS, _MEMBERSHIP_FIELDS, strict=True)
    firms = zip(_FIRM_COLUMNS, _FIRM_FIELDS, strict=True)
    columns = {
        **{c: F(f"{path}{f.name}") for c, f in members},
        **{c: F(f"{path}firm__{f.name}") for c, f in firms},
    }
    queryset = (
        ApiToken.objects.select_related("user")
        .filter(prefix=_PREFIX)
        .annotate(**columns)
        .order_by(f"{path}id")
    )
    return Compiled(queryset, _PREFIX, prepared=True)


@cache
def _builders():
    """``Membership.from_db`` and ``Firm.from_db`` for the query's columns, built quickly."""
    return (
        instance_builder(Membership, _MEMBERSHIP_ATTNAMES, None),
        instance_builder(Firm, _FIRM_ATTNAMES, None),
    )


def _membership(row: ApiToken, db: str, user) -> Membership | None:
    """The membership and firm on one row of the query, their columns taken off the row (they
    are this query's, not the token's): one dict pop a column, no attribute set or deleted."""
    columns = row.__dict__
    values = [columns.pop(c) for c in _MEMBERSHIP_COLUMNS]
    firm_values = [columns.pop(c) for c in _FIRM_COLUMNS]
    if values[0] is None:
        return None
    build_membership, build_firm = _builders()
    membership = build_membership(db, _MEMBERSHIP_ATTNAMES, values)
    firm = build_firm(db, _FIRM_ATTNAMES, firm_values)
    Membership.firm.field.set_cached_value(membership, firm)
    Membership.user.field.set_cached_value(membership, user)
    return membership


class ApiTokenMembershipAuthentication(ApiTokenAuthentication):
    """``ApiTokenAuthentication`` whose one query also reads the user's memberships, which it
    leaves where ``complaints.access.memberships`` looks for them."""

    def find(self, prefix: str) -> ApiToken | None:
        rows = _token_with_memberships().objects(prefix)
        if not rows:
            return None
        token = rows[0]
        assert isinstance(token, ApiToken)
        user: Any = token.user
        db = token._state.db or "default"
        found = [_membership(row, db, user) for row in rows]
        user._memberships_cache = [m for m in found if m is not None]
        return token
