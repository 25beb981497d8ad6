"""API input and output shapes. Inputs validate shape; services decide."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from common.api import BlankChoices

from .choices import EndKind, FosOutcome, InterestBasis, ReferredBy
from .models import FosDeadline, Referral, ReferralStage


class CheckLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label (stubs)
    rule = serializers.CharField()
    result = serializers.ChoiceField(choices=["pass", "fail", "unknown"])
    explanation = serializers.CharField()


class StageSerializer(BlankChoices):
    class Meta:
        model = ReferralStage
        fields = ["stage", "action", "entered_on", "recorded_at", "note"]


@extend_schema_serializer(component_name="FosDeadline")
class DeadlineSerializer(BlankChoices):
    referral = serializers.IntegerField(source="referral_id", read_only=True)

    class Meta:
        model = FosDeadline
        fields = [
            "id",
            "referral",
            "description",
            "due_on",
            "source",
            "done_at",
            "closed_note",
            "created_at",
        ]


class ReferralSerializer(BlankChoices):
    complaint = serializers.IntegerField(source="complaint_id", read_only=True)
    complaint_reference = serializers.CharField(source="complaint.reference", read_only=True)
    firm = serializers.IntegerField(source="firm_id", read_only=True)
    checklist = CheckLineSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "firm",
            "complaint",
            "complaint_reference",
            "fos_reference",
            "referred_on",
            "referred_by",
            "representative_name",
            "representative",
            "stage",
            "stage_entered_on",
            "version",
            "jurisdiction_result",
            "checklist",
            "checklist_computed_at",
            "referred_back_on",
            "investigation_on",
            "view_date",
            "view_outcome",
            "view_response_due",
            "provisional_decision_date",
            "provisional_outcome",
            "final_decision_date",
            "decision_outcome",
            "acceptance_deadline",
            "accepted_on",
            "ended_on",
            "end_kind",
            "closed_on",
            "complied_on",
            "compliance_due_on",
            "firm_outcome",
            "fos_outcome",
            "overturned",
            "award_amount",
            "award_limit",
            "award_limit_verified",
            "award_limit_effective_from",
            "award_recommended_excess",
            "interest_basis",
            "interest_from",
            "interest_note",
            "directions",
            "amount_paid",
            "shortfall_reason",
            "chargeable_on",
            "chargeable_note",
            "time_limit_consent_on",
            "notes",
            "created_at",
        ]
        read_only_fields = fields


class ReferralDetailSerializer(ReferralSerializer):
    stages = StageSerializer(many=True, read_only=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)
    compliance_overdue = serializers.SerializerMethodField()

    class Meta(ReferralSerializer.Meta):
        fields = [*ReferralSerializer.Meta.fields, "stages", "deadlines", "compliance_overdue"]
        read_only_fields = fields

    def get_compliance_overdue(self, referral: Referral) -> bool:
        # As of the business date the view puts in the context (one "today" per request).
        return referral.compliance_overdue(self.context["today"])


class ReferralCreateSerializer(serializers.Serializer):
    complaint = serializers.IntegerField(help_text="The complaint's id.")
    referred_on = serializers.DateField()
    referred_by = serializers.ChoiceField(
        choices=ReferredBy.choices, default=ReferredBy.COMPLAINANT
    )
    representative_name = serializers.CharField(required=False, allow_blank=True, default="")
    representative_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="One of the complainant's recorded representatives: referred_by and "
        "representative_name then follow its kind (professional representative or not).",
    )
    fos_reference = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class _ActionBase(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, help_text="Defaults to today.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    expected_version = serializers.IntegerField(required=False, allow_null=True)


class OutcomeActionSerializer(_ActionBase):
    outcome = serializers.ChoiceField(choices=FosOutcome.choices)


class ViewActionSerializer(OutcomeActionSerializer):
    response_due = serializers.DateField(required=False, allow_null=True)


class FinalDecisionSerializer(OutcomeActionSerializer):
    acceptance_deadline = serializers.DateField()


class EndActionSerializer(_ActionBase):
    kind = serializers.ChoiceField(choices=EndKind.choices)


class ComplianceActionSerializer(_ActionBase):
    amount_paid = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    shortfall_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when amount_paid is less than the award (DISP 3.7, FSMA s.229): "
        "refused with shortfall_reason_required otherwise.",
    )


ACTION_SERIALIZERS = {
    "issue_view": ViewActionSerializer,
    "issue_provisional_decision": OutcomeActionSerializer,
    "issue_final_decision": FinalDecisionSerializer,
    "end": EndActionSerializer,
    "record_compliance": ComplianceActionSerializer,
}


def action_serializer(action: str) -> type[serializers.Serializer]:
    return ACTION_SERIALIZERS.get(action, _ActionBase)


class AwardSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    interest_basis = serializers.ChoiceField(
        choices=InterestBasis.choices,
        required=False,
        allow_null=True,
        help_text="Defaults by referral date (8% simple before 1 Jan 2026, else BoE + 1%).",
    )
    interest_from = serializers.DateField(required=False, allow_null=True)
    interest_note = serializers.CharField(required=False, allow_blank=True, default="")
    directions = serializers.CharField(required=False, allow_blank=True, default="")
    expected_version = serializers.IntegerField(required=False, allow_null=True)


class ConsentSerializer(serializers.Serializer):
    consents = serializers.BooleanField(
        help_text="Must be true: consent cannot be withdrawn once given (DISP 2.8.2AR)."
    )
    on = serializers.DateField(required=False, allow_null=True)


class ChargeableSerializer(serializers.Serializer):
    chargeable_on = serializers.DateField(allow_null=True)
    note = serializers.CharField(max_length=300)
    expected_version = serializers.IntegerField(required=False, allow_null=True)


class ReferenceSerializer(serializers.Serializer):
    fos_reference = serializers.CharField(max_length=40)
    expected_version = serializers.IntegerField(required=False, allow_null=True)


class DeadlineCreateSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    source = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.source (stubs)
        required=False, allow_blank=True, default="", max_length=200
    )


class OpenDeadlineSerializer(serializers.Serializer):
    deadline_id = serializers.IntegerField()
    referral_id = serializers.IntegerField()
    complaint_id = serializers.IntegerField()
    complaint_reference = serializers.CharField()
    fos_reference = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label (stubs)
    due = serializers.DateField()
    days_left = serializers.IntegerField()
    state = serializers.CharField()


class LedgerLineSerializer(serializers.Serializer):
    referral = serializers.IntegerField(source="referral.pk")
    fos_reference = serializers.CharField(source="referral.fos_reference")
    complaint_reference = serializers.CharField(source="referral.complaint.reference")
    chargeable_on = serializers.DateField(source="referral.chargeable_on")
    sequence = serializers.IntegerField()
    free = serializers.BooleanField()
    fee = serializers.DecimalField(max_digits=12, decimal_places=2)
    basis = serializers.CharField()
    provisional = serializers.BooleanField()


class LedgerYearSerializer(serializers.Serializer):
    financial_year = serializers.CharField(source="label")
    free_cases = serializers.IntegerField(source="schedule.free_cases", allow_null=True)
    schedule_confirmed = serializers.BooleanField(source="schedule.confirmed", allow_null=True)
    schedule_note = serializers.CharField()
    cases = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    provisional = serializers.BooleanField()
    lines = LedgerLineSerializer(many=True)
