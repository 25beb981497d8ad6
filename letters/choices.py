"""Letter types, states and delivery methods."""

from django.db import models

from complaints.choices import CommunicationKind, Outcome


class LetterType(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement (DISP 1.6.1R)"
    SUMMARY_RESOLUTION = "summary_resolution", "Summary resolution communication (DISP 1.5.4R)"
    HOLDING = "holding_response", "Holding response at 8 weeks (DISP 1.6.2R(2))"
    HOLDING_PSD = "holding_response_psd", "PSD/EMD holding response (DISP 1.6.2AR(2))"
    PROGRESS_UPDATE = "progress_update", "Progress update (DISP 1.6.1R(2))"
    FINAL_UPHELD = "final_upheld", "Final response: upheld (DISP 1.6.2R(1)(a))"
    FINAL_REDRESS = "final_redress", "Final response: redress without accepting (DISP 1.6.2R(1)(b))"
    FINAL_REJECTED = "final_rejected", "Final response: rejected with reasons (DISP 1.6.2R(1)(c))"
    TIME_BARRED = "time_barred", "Time-barred rejection (DISP 1.8)"
    FORWARDING_NOTICE = "forwarding_notice", "Forwarding notice to the complainant (DISP 1.7)"
    FORWARDING_COVER = "forwarding_cover", "Covering letter to the other firm (DISP 1.7)"
    DPA_ACKNOWLEDGEMENT = (
        "dpa_acknowledgement",
        "Data-protection complaint acknowledgement (DPA 2018 s.164A(3))",
    )
    DPA_OUTCOME = "dpa_outcome", "Data-protection complaint outcome (DPA 2018 s.164A(4)(b))"

    @classmethod
    def final_types(cls) -> list[str]:
        return [cls.FINAL_UPHELD, cls.FINAL_REDRESS, cls.FINAL_REJECTED]

    @classmethod
    def data_protection_types(cls) -> list[str]:
        """Sent from the data-protection panel by its own services (DPA 2018 s.164A), never a
        DISP lifecycle action: the letters workspace does not draft them."""
        return [cls.DPA_ACKNOWLEDGEMENT, cls.DPA_OUTCOME]


# The communication each letter type is recorded as on the complaint.
COMMUNICATION_KIND: dict[str, str] = {
    LetterType.ACKNOWLEDGEMENT: CommunicationKind.ACKNOWLEDGEMENT,
    LetterType.SUMMARY_RESOLUTION: CommunicationKind.SUMMARY_RESOLUTION,
    LetterType.HOLDING: CommunicationKind.HOLDING_RESPONSE,
    LetterType.HOLDING_PSD: CommunicationKind.HOLDING_RESPONSE,
    LetterType.PROGRESS_UPDATE: CommunicationKind.PROGRESS_UPDATE,
    LetterType.FINAL_UPHELD: CommunicationKind.FINAL_RESPONSE,
    LetterType.FINAL_REDRESS: CommunicationKind.FINAL_RESPONSE,
    LetterType.FINAL_REJECTED: CommunicationKind.FINAL_RESPONSE,
    LetterType.TIME_BARRED: CommunicationKind.TIME_BARRED_REJECTION,
    LetterType.FORWARDING_NOTICE: CommunicationKind.FORWARDING_NOTICE,
    LetterType.FORWARDING_COVER: CommunicationKind.FORWARDING_COVER,
    LetterType.DPA_ACKNOWLEDGEMENT: CommunicationKind.DPA_ACKNOWLEDGEMENT,
    LetterType.DPA_OUTCOME: CommunicationKind.DPA_OUTCOME,
}

# The complaint action (complaints.guards.ACTIONS) that sending each letter type performs.
ACTION_FOR_TYPE: dict[str, str] = {
    LetterType.ACKNOWLEDGEMENT: "acknowledge",
    LetterType.SUMMARY_RESOLUTION: "resolve_summary",
    LetterType.HOLDING: "send_holding_response",
    LetterType.HOLDING_PSD: "send_holding_response",
    LetterType.PROGRESS_UPDATE: "send_progress_update",
    LetterType.FINAL_UPHELD: "send_final_response",
    LetterType.FINAL_REDRESS: "send_final_response",
    LetterType.FINAL_REJECTED: "send_final_response",
    LetterType.TIME_BARRED: "reject_time_barred",
    LetterType.FORWARDING_NOTICE: "forward",
    LetterType.FORWARDING_COVER: "forward",
}

# The other way round: the letter type each action sends, the first listed for it above, unless
# the complaint's regime or the outcome picks another (letters.lifecycle.letter_type_for).
TYPE_FOR_ACTION: dict[str, str] = {
    action: letter_type for letter_type, action in reversed(ACTION_FOR_TYPE.items())
}

# DISP 1.6.2R(1)(a)-(c): the final response variant follows the decision.
FINAL_TYPE_FOR_OUTCOME: dict[str, str] = {
    Outcome.UPHELD: LetterType.FINAL_UPHELD,
    Outcome.PARTIALLY_UPHELD: LetterType.FINAL_UPHELD,
    Outcome.GOODWILL: LetterType.FINAL_REDRESS,
    Outcome.NOT_UPHELD: LetterType.FINAL_REJECTED,
}


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    APPROVED = "approved", "Approved"
    SENT = "sent", "Sent"
    DISCARDED = "discarded", "Discarded"

    @classmethod
    def editable(cls) -> list[str]:
        return [cls.DRAFT, cls.AWAITING_APPROVAL, cls.APPROVED]


class Recipient(models.TextChoices):
    COMPLAINANT = "complainant", "Complainant"
    OTHER_FIRM = "other_firm", "Other firm (DISP 1.7)"
    REPRESENTATIVE = "representative", "The complainant's representative"


class Delivery(models.TextChoices):
    """How a letter leaves the firm. Email goes through Django's mail machinery after commit."""

    EMAIL = "email", "Email (PDF attached)"
    POST = "post", "Post (marked as posted)"
    EMAIL_AND_POST = "email_and_post", "Email and post"
    PORTAL = "portal", "Secure message / portal"
    PHONE = "phone", "Telephone (confirmed in writing)"

    @property
    def emails(self) -> bool:
        return self in (Delivery.EMAIL, Delivery.EMAIL_AND_POST)


class DeliveryStatus(models.TextChoices):
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Not emailed: recorded as sent earlier"
