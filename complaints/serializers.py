"""API serializers: input serializers validate shapes, output serializers render.

No workflow here: views pass validated data to complaints.services as keyword arguments, whose
names the input fields mirror exactly.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api import BlankChoices, FieldsBoundOnce
from common.representation import Planned

from . import selectors
from .access import sees_vulnerability
from .choices import (
    Activity,
    Channel,
    ComplainantType,
    ReceivedVia,
    Regime,
    Relationship,
    Status,
)
from .deadlines import calendar_for_firm
from .disp.calendar import BusinessCalendar
from .models import Complainant, Complaint
from .models.complaints import LIKELY_DUPLICATE_HELP
from .models.vulnerability import IdentifiedBy

# --- output ------------------------------------------------------------------------------


class FieldsBuiltOnce:
    """Mixin for read serializers: their fields are built (model introspection included) once
    per class, and each instance gets a deep copy, as DRF itself copies declared fields, instead
    of rebuilding them on every request (issue 18)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()  # type: ignore[misc]
            cls._fields_built_once = built  # type: ignore[attr-defined]
        return copy.deepcopy(built)


# A serializer is itself a Field, so an API field named like one of Field's own attributes
# (``label``) cannot be a class attribute of that name: declare it under another name and map it
# to its API name in ``api_names``. The JSON, its field order and the schema are as if it had
# been declared under the API name. (A comment, not a docstring: the schema would inherit it as
# every subclass's description.)
class RenamedFieldsSerializer(serializers.Serializer):
    api_names: ClassVar[dict[str, str]] = {}

    def get_fields(self) -> dict[str, serializers.Field]:
        return {self.api_names.get(name, name): f for name, f in super().get_fields().items()}


class FirmRefSerializer(Planned, serializers.Serializer):
    id = serializers.IntegerField()
    frn = serializers.CharField()
    name = serializers.CharField()


class UserRefSerializer(Planned, serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


DETAIL_HELP = "Null unless the caller holds view_vulnerability_detail in the firm."
VULNERABILITY_DETAIL_KEYS = [
    "vulnerability_drivers",
    "vulnerability_note",
    "vulnerability_identified_by",
    "vulnerability_consent",
    "vulnerability_consent_at",
]


class ComplainantSummarySerializer(Planned, BlankChoices):
    is_vulnerable = serializers.BooleanField()

    class Meta:
        model = Complainant
        fields = ["id", "name", "is_vulnerable"]


class ComplainantDetailSerializer(Planned, FieldsBuiltOnce, BlankChoices):
    """The complainant. FG21/1 vulnerability detail (the drivers, the note, how it was
    identified, consent) is null unless the caller holds ``view_vulnerability_detail`` in the
    complainant's firm; everyone sees ``is_vulnerable`` (support needs recorded) and the review
    date."""

    is_vulnerable = serializers.BooleanField(
        help_text="Support needs are recorded (FG21/1). Everyone with access sees this."
    )
    vulnerability_drivers = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text=f"FG21/1 drivers: Health, Life events, Resilience, Capability. {DETAIL_HELP}",
    )
    vulnerability_note = serializers.CharField(allow_null=True, help_text=DETAIL_HELP)
    vulnerability_identified_by = serializers.ChoiceField(
        choices=IdentifiedBy.choices, allow_null=True, allow_blank=True, help_text=DETAIL_HELP
    )
    vulnerability_consent = serializers.BooleanField(allow_null=True, help_text=DETAIL_HELP)
    vulnerability_consent_at = serializers.DateTimeField(allow_null=True, help_text=DETAIL_HELP)
    vulnerability_review_on = serializers.DateField(
        allow_null=True, help_text="When the support needs are due for review (FG21/1)."
    )

    class Meta:
        model = Complainant
        fields = [
            "id",
            "name",
            "email",
            "phone",
            "client_reference",
            "complainant_type",
            "is_retail",
            "is_vulnerable",
            "vulnerability_review_on",
            *VULNERABILITY_DETAIL_KEYS,
        ]

    @classmethod
    def represent(cls, instance, context, serializer, zone=False):
        data = super().represent(instance, context, serializer, zone)
        # The reader: ``user`` in the context, or the request's (none: nobody sees the detail).
        user = context.get("user") or getattr(context.get("request"), "user", None)
        if user is None or not sees_vulnerability(user, instance.firm_id):
            data.update(dict.fromkeys(VULNERABILITY_DETAIL_KEYS))
        return data


class ComplaintListSerializer(Planned, FieldsBuiltOnce, BlankChoices):
    firm = FirmRefSerializer()
    # The detail serializer shows more of the complainant.
    complainant: serializers.ModelSerializer = ComplainantSummarySerializer()
    owner = UserRefSerializer(allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    next_deadline = serializers.DateField(
        allow_null=True,
        help_text="The DISP date to meet next: the SRC deadline while the SRC window is open, "
        "then the final response date (the extended PSD/EMD date after a holding response; "
        "the date the 8-week holding response promised, DISP 1.6.2R(2)(a), after that one). "
        "Null once a final response or SRC has been sent.",
    )
    next_deadline_kind = serializers.CharField(
        help_text="src, final_response, extended_final_response, promised_final_response, or empty."
    )
    likely_duplicate_of = serializers.IntegerField(
        source="likely_duplicate_of_id",
        allow_null=True,
        read_only=True,
        help_text=f"{LIKELY_DUPLICATE_HELP} The id of that complaint.",
    )

    class Meta:
        model = Complaint
        fields = [
            "id",
            "reference",
            "external_reference",
            "firm",
            "status",
            "version",
            "is_complaint",
            "received_at",
            "receipt_date",
            "channel",
            "activity",
            "regime",
            "complainant",
            "owner",
            "next_deadline",
            "next_deadline_kind",
            "src_deadline",
            "final_response_due",
            "outcome",
            "likely_duplicate_of",
            "complainant_vulnerable",
            "vulnerability_failure",
            "updated_at",
        ]


class DeadlineSerializer(Planned, RenamedFieldsSerializer):
    api_names = {"label_text": "label"}

    key = serializers.CharField()
    label_text = serializers.CharField()
    date = serializers.DateField()
    at = serializers.DateTimeField(
        allow_null=True, help_text="For the SRC: close of business on the deadline date."
    )
    rule = serializers.CharField()
    basis = serializers.CharField()
    urgency = serializers.ChoiceField(
        choices=["breached", "soon", "later", "none"],
        help_text="As the complaint page shows it: breached, soon (within 2 business days), "
        "later, or none (met, not needed, or not a date to meet, like the DISP 1.8 time bar).",
    )
    state = serializers.CharField(
        help_text='The page\'s words, e.g. "3 business days left" or "Met: final response sent …".'
    )


class AvailableActionSerializer(Planned, RenamedFieldsSerializer):
    api_names = {"label_text": "label"}

    name = serializers.CharField(help_text="The guard's action name (e.g. resolve_summary).")
    endpoint = serializers.CharField(help_text="The API path segment (e.g. resolve-summary).")
    label_text = serializers.CharField()
    allowed = serializers.BooleanField()
    reason = serializers.CharField(help_text="Why not, when not allowed.")
    rule = serializers.CharField(allow_null=True)
    irreversible = serializers.BooleanField()
    needs = serializers.CharField(
        help_text="When allowed only with more input: what to give (e.g. a close `reason` "
        "while redress is outstanding, DISP 1.4.1R(5)); empty otherwise."
    )


_DEADLINE_COLUMNS = {
    "summary_resolution": "src_deadline",
    "final_response": "final_response_due",
    "extended_final_response": "extended_final_response_due",
    "fos_referral_open_from": "fos_referral_open_from",
    "time_bar": "time_bar_date",
    "fos_six_month": "fos_six_month_deadline",
    "promised_final_response": "expected_final_response_on",
}


def complaint_deadlines(
    complaint: Complaint, now: datetime, calendar: BusinessCalendar | None = None
) -> list[dict[str, Any]]:
    """Each stored deadline with the rule and basis it was computed on (a date with no rule is
    not a deadline: the PSD/EMD holding response's expected date is its 35-business-day one),
    and its state at ``now`` as the complaint page shows it (``calendar``: the firm's, when the
    caller has read it already)."""
    states = {
        row.key: row.state
        for row in selectors.complaint_deadlines(
            complaint, now=now, calendar=calendar or calendar_for_firm(complaint.firm)
        )
    }
    out = []
    for key, column in _DEADLINE_COLUMNS.items():
        value = getattr(complaint, column)
        if value is None or key not in complaint.deadline_rules:
            continue
        meta = complaint.deadline_rules.get(key, {})
        out.append(
            {
                "key": key,
                "label": meta.get("label", key),
                "date": value,
                "at": complaint.src_deadline_at if key == "summary_resolution" else None,
                "rule": meta.get("rule", ""),
                "basis": meta.get("basis", ""),
                "urgency": states[key].urgency if key in states else "none",
                "state": states[key].text if key in states else "",
            }
        )
    return out


class ForwardedPartSerializer(Planned, serializers.Serializer):
    """DISP 1.7: a part of the complaint forwarded to another firm while the firm kept the rest.
    The notice is the final response on that part (DISP 1.7.1R(2)): its own six-month date."""

    to_firm = serializers.CharField()
    to_contact = serializers.CharField()
    reason = serializers.CharField(help_text="Which part, and why the other firm is responsible.")
    sent_at = serializers.DateTimeField()
    sent_by = UserRefSerializer(allow_null=True)
    six_month_wording_included = serializers.BooleanField()
    fos_six_month_deadline = serializers.DateField(
        allow_null=True, help_text="DISP 2.8.2R(1) for the forwarded part."
    )


class ImportedFromSerializer(Planned, serializers.Serializer):
    """Where a complaint imported from a register came from: the import, the file and its row."""

    # The source: ``selectors.intake.imported_from``.
    batch = serializers.IntegerField(help_text="The register import.")
    filename = serializers.CharField()
    row = serializers.IntegerField(help_text="The header is row 1.")
    imported_at = serializers.DateTimeField(source="at")


class ComplaintDetailSerializer(ComplaintListSerializer):
    complainant = ComplainantDetailSerializer()
    forwarded_parts = serializers.SerializerMethodField()
    imported_from = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(ComplaintListSerializer.Meta):
        fields = [
            *ComplaintListSerializer.Meta.fields,
            "description",
            "received_via",
            "forwarded_from_firm",
            "relationship",
            "expression_of_dissatisfaction",
            "alleged_financial_loss",
            "alleged_material_distress",
            "alleged_material_inconvenience",
            "event_date",
            "event_date_unknown",
            "awareness_date",
            "outcome_at",
            "acknowledged_at",
            "src_sent_at",
            "complainant_accepted_at",
            "holding_response_sent_at",
            "expected_final_response_on",
            "final_response_sent_at",
            "six_month_wording_included",
            "consents_to_waive_time_limits",
            "forwarded_at",
            "forwarded_to_firm",
            "forward_part",
            "forwarded_parts",
            "withdrawn_at",
            "closed_at",
            "calendar_nation",
            "calendar_version",
            "deadlines_computed_at",
            "deadlines",
            "available_actions",
            "imported_from",
            "created_at",
        ]

    @extend_schema_field(ForwardedPartSerializer(many=True))
    def get_forwarded_parts(self, complaint: Complaint) -> list[dict[str, Any]]:
        # The API's detail_queryset reads whether any part was forwarded (DISP 1.7) with the
        # row: without one, no query asks for them (issue 18).
        if getattr(complaint, "has_forwarded_parts", True) is False:
            return []
        parts = selectors.forwarded_parts(complaint)
        return [ForwardedPartSerializer.render(part) for part in parts]

    @extend_schema_field(ImportedFromSerializer(allow_null=True))
    def get_imported_from(self, complaint: Any) -> dict[str, Any] | None:
        found = selectors.intake.imported_from(complaint)
        return None if found is None else ImportedFromSerializer.render(found)

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, complaint: Complaint) -> list[dict[str, Any]]:
        rows = complaint_deadlines(complaint, self.context["now"], self.context.get("calendar"))
        return [DeadlineSerializer.render(row) for row in rows]

    @extend_schema_field(AvailableActionSerializer(many=True))
    def get_available_actions(self, complaint: Complaint) -> list[dict[str, Any]]:
        from .guards import available_actions

        return [
            {
                "name": a.name,
                "endpoint": a.name.replace("send_", "").replace("_", "-"),
                "label": a.label,
                "allowed": a.allowed,
                "reason": a.reason,
                "rule": a.rule,
                "irreversible": a.irreversible,
                "needs": a.needs,
            }
            for a in available_actions(complaint, self.context["now"])
        ]


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="history_id")
    at = serializers.DateTimeField(source="history_date")
    type = serializers.ChoiceField(
        source="history_type",
        choices=[("+", "created"), ("~", "changed"), ("-", "deleted")],
    )
    change_reason = serializers.CharField(source="history_change_reason", allow_null=True)
    user = UserRefSerializer(source="history_user", allow_null=True)
    status = serializers.CharField()
    version = serializers.IntegerField()
    changed_fields = FieldChangeSerializer(many=True)


# --- input -------------------------------------------------------------------------------


class ComplainantInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    address = serializers.CharField(required=False, allow_blank=True)
    client_reference = serializers.CharField(required=False, allow_blank=True, max_length=64)
    complainant_type = serializers.ChoiceField(
        choices=ComplainantType.choices, required=False, default=ComplainantType.CONSUMER
    )
    is_retail = serializers.BooleanField(required=False, default=True)
    vulnerable_health = serializers.BooleanField(required=False, default=False)
    vulnerable_life_events = serializers.BooleanField(required=False, default=False)
    vulnerable_resilience = serializers.BooleanField(required=False, default=False)
    vulnerable_capability = serializers.BooleanField(required=False, default=False)
    vulnerability_note = serializers.CharField(required=False, allow_blank=True)
    vulnerability_support_needs = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Support needs exist; the only thing recorded without consent (FG21/1).",
    )
    vulnerability_identified_by = serializers.ChoiceField(
        choices=IdentifiedBy.choices, required=False, allow_blank=True
    )
    vulnerability_consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The complainant consents to the detail being recorded: needed with any "
        "driver or note (FG21/1; health is UK GDPR Art 9 special category data).",
    )
    vulnerability_review_on = serializers.DateField(required=False, allow_null=True)


class ComplaintCreateSerializer(FieldsBoundOnce, serializers.Serializer):
    firm_id = serializers.IntegerField(
        required=False, help_text="The firm (one of yours). Give firm_id or firm_frn."
    )
    firm_frn = serializers.RegexField(
        r"^\d{6,7}$", required=False, help_text="The firm's FRN (one of yours)."
    )
    complainant_id = serializers.IntegerField(
        required=False, help_text="An existing complainant of the firm; or give complainant."
    )
    complainant = ComplainantInputSerializer(required=False)
    received_at = serializers.DateTimeField(
        required=False,
        help_text="First receipt by the firm (ISO 8601 with offset). Defaults to now.",
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    activity = serializers.ChoiceField(choices=Activity.choices)
    description = serializers.CharField(max_length=20000)
    received_via = serializers.ChoiceField(choices=ReceivedVia.choices, required=False)
    forwarded_from_firm = serializers.CharField(required=False, allow_blank=True, max_length=200)
    relationship = serializers.ChoiceField(choices=Relationship.choices, required=False)
    expression_of_dissatisfaction = serializers.BooleanField(required=False, default=True)
    alleged_financial_loss = serializers.BooleanField(required=False, default=False)
    alleged_material_distress = serializers.BooleanField(required=False, default=False)
    alleged_material_inconvenience = serializers.BooleanField(required=False, default=False)
    regime = serializers.ChoiceField(choices=Regime.choices, required=False)
    event_date = serializers.DateField(required=False, allow_null=True)
    event_date_unknown = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True when the date of the act or omission is not known (leave event_date "
        "out). A final or holding response needs one or the other (CP26/4 para 3.24).",
    )
    awareness_date = serializers.DateField(required=False, allow_null=True)
    owner_id = serializers.IntegerField(required=False, allow_null=True)
    external_reference = serializers.CharField(required=False, allow_blank=True, max_length=64)

    def validate(self, attrs):
        if "firm_id" in attrs and "firm_frn" in attrs:
            raise serializers.ValidationError({"firm_frn": ["Give firm_id or firm_frn, not both."]})
        if ("complainant_id" in attrs) == ("complainant" in attrs):
            raise serializers.ValidationError(
                {"complainant": ["Give either complainant_id or complainant, not both."]}
            )
        return attrs
