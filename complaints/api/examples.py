"""OpenAPI examples: what a client sends and gets back (a complaint from worked example E1)."""

from drf_spectacular.utils import OpenApiExample

COMPLAINT_CREATE_EXAMPLES = [
    OpenApiExample(
        "New complainant",
        value={
            "firm_frn": "987654",
            "received_at": "2026-04-02T16:00:00+01:00",
            "channel": "email",
            "activity": "operating_catp",
            "description": "My withdrawal of 0.8 BTC has been pending for ten days.",
            "alleged_financial_loss": True,
            "event_date": "2026-03-23",
            "external_reference": "CRM-104233",
            "complainant": {
                "name": "Jo Bloggs",
                "email": "jo@example.test",
                "client_reference": "C-55120",
                "vulnerable_life_events": True,
                "vulnerability_identified_by": "disclosed",
                "vulnerability_consent": True,
                "vulnerability_review_on": "2026-07-02",
            },
        },
        request_only=True,
    ),
    OpenApiExample(
        "Existing complainant",
        value={
            "firm_id": 1,
            "complainant_id": 42,
            "channel": "phone",
            "activity": "staking",
            "description": "Staking rewards for March were not paid.",
            "alleged_financial_loss": True,
        },
        request_only=True,
    ),
]

_LIST_ITEM = {
    "id": 101,
    "reference": "NDX-2026-00042",
    "external_reference": "CRM-104233",
    "firm": {"id": 1, "frn": "987654", "name": "Northgate Digital Exchange Ltd"},
    "status": "received",
    "version": 1,
    "is_complaint": True,
    "received_at": "2026-04-02T16:00:00+01:00",
    "receipt_date": "2026-04-02",
    "channel": "email",
    "activity": "operating_catp",
    "regime": "standard",
    "complainant": {"id": 42, "name": "Jo Bloggs", "is_vulnerable": True},
    "owner": None,
    "next_deadline": "2026-04-09",
    "next_deadline_kind": "src",
    "src_deadline": "2026-04-09",
    "final_response_due": "2026-05-28",
    "outcome": "",
    "complainant_vulnerable": True,
    "vulnerability_failure": False,
    "updated_at": "2026-04-02T16:01:12+01:00",
}

COMPLAINT_LIST_EXAMPLE = OpenApiExample(
    "One page",
    value={"count": 1, "next": None, "previous": None, "results": [_LIST_ITEM]},
    response_only=True,
)

COMPLAINT_DETAIL_EXAMPLE = OpenApiExample(
    "A complaint just received",
    value={
        **_LIST_ITEM,
        "complainant": {
            "id": 42,
            "name": "Jo Bloggs",
            "email": "jo@example.test",
            "phone": "",
            "client_reference": "C-55120",
            "complainant_type": "consumer",
            "is_retail": True,
            "is_vulnerable": True,
            "vulnerability_review_on": "2026-07-02",
            "vulnerability_drivers": ["Life events"],
            "vulnerability_note": "",
            "vulnerability_identified_by": "disclosed",
            "vulnerability_consent": True,
            "vulnerability_consent_at": "2026-04-02T16:05:00+01:00",
        },
        "description": "My withdrawal of 0.8 BTC has been pending for ten days.",
        "deadlines": [
            {
                "key": "summary_resolution",
                "label": "Summary resolution communication",
                "date": "2026-04-09",
                "at": "2026-04-09T17:00:00+01:00",
                "rule": "DISP 1.5.1R",
                "basis": "close of business (17:00) on the 3rd business day after receipt",
                "urgency": "later",
                "state": "3 business days left",
            },
            {
                "key": "final_response",
                "label": "Final response",
                "date": "2026-05-28",
                "at": None,
                "rule": "DISP 1.6.2R",
                "basis": "receipt + 56 days",
                "urgency": "later",
                "state": "36 business days left",
            },
        ],
        "available_actions": [
            {
                "name": "acknowledge",
                "endpoint": "acknowledge",
                "label": "Acknowledge",
                "allowed": True,
                "reason": "",
                "rule": None,
                "irreversible": False,
                "needs": "",
            },
            {
                "name": "reject_time_barred",
                "endpoint": "reject-time-barred",
                "label": "Reject as time-barred",
                "allowed": False,
                "reason": "The complaint was received within six years of the event or three "
                "years of awareness, so it cannot be rejected as time-barred.",
                "rule": "DISP 1.8 / DISP 2.8.2R(2)",
                "irreversible": True,
                "needs": "",
            },
        ],
    },
    response_only=True,
)

CONFLICT_EXAMPLE = OpenApiExample(
    "409: someone else acted first",
    value={
        "code": "stale_version",
        "message": "Someone else changed this complaint after you opened it. Review its "
        "current state and try again.",
        "fields": {},
        "status": "acknowledged",
        "version": 3,
    },
    response_only=True,
    status_codes=["409"],
)

REFUSAL_EXAMPLE = OpenApiExample(
    "409: a DISP rule refuses",
    value={
        "code": "src_deadline_passed",
        "message": "SRC deadline passed on Thu 9 Apr 2026, close of business: DISP 1.5 applies "
        "only to complaints resolved by close of business on the 3rd business day after "
        "receipt. Send a final response instead.",
        "fields": {},
        "rule": "DISP 1.5.1R",
        "status": "acknowledged",
        "version": 2,
    },
    response_only=True,
    status_codes=["409"],
)
