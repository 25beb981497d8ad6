"""Enumerations shared by the complaints app, the API, reporting and the FOS tracker."""

import functools

from django.db import models


class Nation(models.TextChoices):
    """Part of the UK whose bank holidays make up a business-day calendar (Glossary)."""

    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


class HolidayRegion(models.TextChoices):
    """Where a proclaimed bank holiday applies. England and Wales share one calendar (gov.uk's
    "england-and-wales"), so a day proclaimed for both is entered once."""

    ENGLAND_AND_WALES = "england-and-wales", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"
    ENGLAND = "england", "England only"
    WALES = "wales", "Wales only"

    @classmethod
    def nations(cls, region: str) -> tuple[str, ...]:
        """The parts of the UK (``Nation`` values) whose calendars a region's day changes."""
        if region == cls.ENGLAND_AND_WALES:
            return (Nation.ENGLAND.value, Nation.WALES.value)
        return (Nation(region).value,)

    @classmethod
    def covering(cls, nation: str) -> tuple[str, ...]:
        """The regions whose days apply to ``nation``."""
        return tuple(r for r in cls.values if nation in cls.nations(r))


class Activity(models.TextChoices):
    """Regulated cryptoasset activities (CP26/4; RAO articles inserted by the Cryptoassets
    Regulations), plus 'other' for complaints about anything else the firm does."""

    ISSUING_STABLECOIN = "issuing_stablecoin", "Issuing qualifying stablecoin (art. 9M)"
    SAFEGUARDING = "safeguarding", "Safeguarding qualifying cryptoassets (art. 9N)"
    OPERATING_CATP = "operating_catp", "Operating a qualifying CATP (art. 9S)"
    DEALING_PRINCIPAL = "dealing_principal", "Dealing as principal (art. 9T)"
    DEALING_AGENT = "dealing_agent", "Dealing as agent (art. 9W)"
    ARRANGING = "arranging", "Arranging deals (art. 9Y)"
    STAKING = "staking", "Arranging qualifying cryptoasset staking (art. 9Z6)"
    LENDING_BORROWING = "lending_borrowing", "Qualifying cryptoasset lending and borrowing"
    OTHER = "other", "Other (not a regulated cryptoasset activity)"

    @classmethod
    def crypto(cls) -> list[str]:
        return list(_crypto(cls))


@functools.cache
def _crypto(activity: type[Activity]) -> tuple[str, ...]:
    """``Activity.crypto``'s values, found once: walking an enum member by member is slow, and
    the lifecycle's guards and the FOS decision ask on every step of every complaint."""
    return tuple(a.value for a in activity if a is not activity.OTHER)


class UnknownEventDateWording(models.TextChoices):
    """What letters say about the Financial Ombudsman Service when the handler records that the
    date of the act or omission complained of is unknown (CP26/4 para 3.24: the Ombudsman may
    consider only acts or omissions on or after the regime began). A firm setting."""

    OFFER_FOS = "offer_fos", "Treat as after commencement: offer the Financial Ombudsman Service"
    FOS_MAY_NOT = (
        "fos_may_not",
        "Say the Financial Ombudsman Service may not be able to consider the complaint",
    )


class Role(models.TextChoices):
    HANDLER = "handler", "Complaint handler"
    SUPERVISOR = "supervisor", "Supervisor"
    REPORTING_OFFICER = "reporting_officer", "Reporting officer"
    ADMIN = "admin", "Administrator"


class ComplainantType(models.TextChoices):
    """DISP 2.7.3R categories of eligible complainant (plus 'other', not eligible)."""

    CONSUMER = "consumer", "Consumer"
    MICRO_ENTERPRISE = "micro_enterprise", "Micro-enterprise"
    SMALL_BUSINESS = "small_business", "Small business"
    CHARITY = "charity", "Charity"
    TRUSTEE = "trustee", "Trustee of a trust"
    GUARANTOR = "guarantor", "Guarantor"
    OTHER = "other", "Other (e.g. large business)"


class Relationship(models.TextChoices):
    """DISP 2.7.6R relationship with the firm, including the CP26/4 stablecoin limbs."""

    CUSTOMER = "customer", "Customer"
    POTENTIAL_CUSTOMER = "potential_customer", "Potential customer"
    STABLECOIN_HOLDER = "stablecoin_holder", "Holder of the firm's UK qualifying stablecoin"
    POTENTIAL_STABLECOIN_HOLDER = "potential_stablecoin_holder", "Potential stablecoin holder"
    PAYMENT_SERVICE_USER = "payment_service_user", "Payment service user"
    E_MONEY_HOLDER = "e_money_holder", "Electronic money holder"
    APP_FRAUD_PAYER = "app_fraud_payer", "Payer in an alleged APP fraud"
    GUARANTOR = "guarantor", "Guarantor"
    OTHER = "other", "Other"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Telephone"
    LETTER = "letter", "Letter"
    WEB_FORM = "web_form", "Web form"
    CHAT = "chat", "Live chat"
    SOCIAL_MEDIA = "social_media", "Social media"
    IN_PERSON = "in_person", "In person"


class ReceivedVia(models.TextChoices):
    DIRECT = "direct", "Directly from the complainant or their representative"
    THIRD_PARTY = "third_party", "Via a third party acting for the firm"
    FORWARDED = "forwarded", "Forwarded by another firm (DISP 1.7)"


class Regime(models.TextChoices):
    STANDARD = "standard", "Standard: 8 weeks (DISP 1.6.2R)"
    PSD_EMD = "psd_emd", "PSD/EMD: 15/35 business days (DISP 1.6.2AR)"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    INVESTIGATING = "investigating", "Investigating"
    RESOLVED_SUMMARY = "resolved_summary", "Resolved by SRC"
    HOLDING_RESPONSE_SENT = "holding_response_sent", "Holding response sent"
    FINAL_RESPONSE_SENT = "final_response_sent", "Final response sent"
    FORWARDED = "forwarded", "Forwarded"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED = "closed", "Closed"

    @classmethod
    def open_states(cls) -> list[str]:
        """States in which a DISP response is still owed to the complainant."""
        return [cls.RECEIVED, cls.ACKNOWLEDGED, cls.INVESTIGATING, cls.HOLDING_RESPONSE_SENT]

    @classmethod
    def early_states(cls) -> list[str]:
        """Before any response: the states in which the SRC window may still be open."""
        return [cls.RECEIVED, cls.ACKNOWLEDGED, cls.INVESTIGATING]


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTIALLY_UPHELD = "partially_upheld", "Partially upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    GOODWILL = "goodwill", "Goodwill payment without a decision"
    TIME_BARRED = "time_barred", "Time-barred (DISP 1.8)"
    WITHDRAWN = "withdrawn", "Withdrawn"

    @classmethod
    def decisions(cls) -> list[str]:
        """Outcomes a handler may choose in a final response or SRC."""
        return [cls.UPHELD, cls.PARTIALLY_UPHELD, cls.NOT_UPHELD, cls.GOODWILL]

    @classmethod
    def counted_as_upheld(cls) -> list[str]:
        """SUP 16.34 Annex 6, metric 2: partly upheld and goodwill count as upheld."""
        return [cls.UPHELD, cls.PARTIALLY_UPHELD, cls.GOODWILL]


class CommunicationKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement (DISP 1.6.1R)"
    SUMMARY_RESOLUTION = "summary_resolution", "Summary resolution communication (DISP 1.5.4R)"
    HOLDING_RESPONSE = "holding_response", "Holding response (DISP 1.6.2R(2))"
    PROGRESS_UPDATE = "progress_update", "Progress update (DISP 1.6.1R(2))"
    FINAL_RESPONSE = "final_response", "Final response (DISP 1.6.2R(1))"
    TIME_BARRED_REJECTION = "time_barred_rejection", "Time-barred rejection (DISP 1.8)"
    FORWARDING_NOTICE = "forwarding_notice", "Forwarding notice to complainant (DISP 1.7)"
    FORWARDING_COVER = "forwarding_cover", "Covering letter to the other firm (DISP 1.7)"
    DPA_ACKNOWLEDGEMENT = (
        "dpa_acknowledgement",
        "Data-protection complaint acknowledgement (DPA 2018 s.164A(3))",
    )
    DPA_PROGRESS = "dpa_progress", "Data-protection complaint progress (DPA 2018 s.164A(5)(b))"
    DPA_OUTCOME = "dpa_outcome", "Data-protection complaint outcome (DPA 2018 s.164A(4)(b))"
    SAR_EXTENSION_NOTICE = "sar_extension", "Subject access extension notice (UK GDPR Art 12(3))"
    # Correspondence by e-mail (the firm's complaints mailbox, mailroom/): what the complainant
    # or their representative wrote in reply, and what a handler wrote back from the case page.
    EMAIL_RECEIVED = "email_received", "E-mail received"
    EMAIL_SENT = "email_sent", "E-mail sent"


class DeliveryMethod(models.TextChoices):
    EMAIL = "email", "Email"
    POST = "post", "Post"
    PHONE = "phone", "Telephone (confirmed in writing)"
    PORTAL = "portal", "Secure message / portal"


class ForwardPart(models.TextChoices):
    WHOLE = "whole", "The whole complaint"
    PART = "part", "Part of the complaint"


# The redress ledger's vocabulary (DISP 1.4.1R): the guards read it, the remediation app records it.
class RedressKind(models.TextChoices):
    FINANCIAL_LOSS = "financial_loss", "Financial loss"
    INTEREST = "interest", "Interest"
    DISTRESS = "distress_inconvenience", "Distress and inconvenience"
    GOODWILL = "goodwill", "Goodwill payment"
    REMEDIAL_ACTION = "remedial_action", "Remedial action"

    @classmethod
    def monetary(cls) -> list[str]:
        return [cls.FINANCIAL_LOSS, cls.INTEREST, cls.DISTRESS, cls.GOODWILL]


class RedressStatus(models.TextChoices):
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    PAID = "paid", "Paid / completed"


class ContactChannel(models.TextChoices):
    """How a complainant asks to be contacted (a reasonable adjustment, FG21/1; Equality Act
    2010 s.20). Letters default to it: post and e-mail are deliveries, phone is a call the
    handler makes and records."""

    POST = "post", "Post"
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone"


class LetterLanguage(models.TextChoices):
    """The language of a complainant's letters. Welsh only where the firm offers it
    (``Firm.offers_welsh``); the covering letter to another firm is always in English."""

    ENGLISH = "en", "English"
    WELSH = "cy", "Welsh (Cymraeg)"


class RepresentativeKind(models.TextChoices):
    """Who acts for a complainant (DISP 2.7.2R: a person authorised by them or by law)."""

    CLAIMS_MANAGER = "claims_manager", "Claims management company"
    SOLICITOR = "solicitor", "Solicitor or other legal representative"
    ATTORNEY = "attorney", "Attorney under a power of attorney"
    EXECUTOR = "executor", "Executor or personal representative"
    TRUSTED_PERSON = "trusted_person", "Trusted person or third party (family, friend, charity)"
    OTHER = "other", "Other"

    @classmethod
    def professional(cls) -> list[str]:
        """The FOS's "professional representatives" (FSMA 2000 (Ombudsman Scheme) (Fees)
        Regulations 2024: FCA-authorised claims management companies and legal professionals;
        family, friends, charities and free advisers are outside it). The FOS case fee depends
        on it from 1 April 2025 (disp-rules.md §4.2)."""
        return [cls.CLAIMS_MANAGER, cls.SOLICITOR]


class TaskKind(models.TextChoices):
    """A diary date on a complaint: what the handler must do on the day."""

    CHASE = "chase", "Chase"
    CALL_BACK = "call_back", "Call back"
    REVIEW = "review", "Review"
    OTHER = "other", "Other"
