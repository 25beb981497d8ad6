"""The system default templates: the standard wording every firm starts from.

Templates are plain text in Django's template language (rendered in a sandbox, see
``rendering``). Blank lines separate paragraphs, ``## `` starts a heading and ``- `` a list item.
The DISP wording sits in the templates as literal text, so an administrator can see (and the
content checks can find) exactly what the complainant will read. DISP 1 Annex 3R variants (1)
and (2) are quoted verbatim from the Handbook (the stored copy of
https://handbook.fca.org.uk/handbook/DISP/1/Annex3.html?date=2016-07-17&timeline=True); the
consent wording follows variant (1)'s structure (it is not in the stored Handbook copy:
disp-rules.md marks it [M]). A change to this wording reaches firms as a new version of the
system default (``content.ensure_system_template``); a firm's own versions are never changed.
"""

from __future__ import annotations

from .choices import LetterType
from .dpa_wording import DPA_BODIES, DPA_SUBJECTS
from .prescribed import ANNEX_3R_NO_CONSENT, ANNEX_3R_TIME_BARRED

__all__ = ["ANNEX_3R_NO_CONSENT", "ANNEX_3R_TIME_BARRED", "default_template"]

FOS_NOT_AVAILABLE = (
    "The Financial Ombudsman Service is not able to consider complaints about this service, "
    "because we do not carry it on from an establishment in the United Kingdom. This means you "
    "cannot take this complaint to the Financial Ombudsman Service."
)

# CP26/4 para 3.24: the Ombudsman may consider complaints about the new cryptoasset activities
# only where the act or omission happened on or after the regime began; para 3.29: firms say
# clearly whether the Ombudsman is available. The firm's own complaints procedure still
# applies, and the letter says so.
FOS_BEFORE_COMMENCEMENT = (
    "The Financial Ombudsman Service cannot consider this complaint, because what you complain "
    "about happened before {{ fos_commencement_date }}, when the rules that allow the Ombudsman "
    "to consider complaints about this cryptoasset service began. Our own complaints procedure "
    "still applies to your complaint, and you can contact us about it at any time at "
    "{{ firm_complaints_email }}."
)

# The firm's chosen wording when the handler has recorded that the event date is unknown
# (``Firm.unknown_event_date_wording``): no referral right and no six-month limit are stated.
FOS_EVENT_DATE_UNKNOWN = (
    "The Financial Ombudsman Service may not be able to consider this complaint. It can consider "
    "complaints about this cryptoasset service only where what you complain about happened on or "
    "after {{ fos_commencement_date }}, and we have not been able to establish when it happened. "
    "You can ask the Financial Ombudsman Service whether it can consider your complaint: its "
    "website is www.financial-ombudsman.org.uk. Our own complaints procedure still applies to "
    "your complaint, and you can contact us about it at any time at {{ firm_complaints_email }}."
)

# Whichever statement fits why the Ombudsman is not offered (``fos_unavailable_because``).
FOS_NOT_AVAILABLE_BLOCK = (
    '{% if fos_unavailable_because == "before_commencement" %}'
    + FOS_BEFORE_COMMENCEMENT
    + '{% elif fos_unavailable_because == "event_date_unknown" %}'
    + FOS_EVENT_DATE_UNKNOWN
    + "{% else %}"
    + FOS_NOT_AVAILABLE
    + "{% endif %}"
)

ANNEX_3R_CONSENT = (
    "You have the right to refer your complaint to the Financial Ombudsman Service, free of "
    "charge. We consent to the Ombudsman considering your complaint even if you refer it more "
    "than six months after the date of this letter, or outside the other time limits that would "
    "normally apply. We cannot withdraw this consent."
)

LEAFLET = (
    "We have enclosed a copy of the Financial Ombudsman Service's standard explanatory leaflet, "
    "which explains how the Ombudsman works."
)

FOS_CONTACT = (
    "You can find more information about the Financial Ombudsman Service on its website at "
    "www.financial-ombudsman.org.uk. You can also write to {{ fos_address }}, call "
    "{{ fos_phone }} or email {{ fos_email }}."
)

SIGN_OFF = """Yours sincerely,

{{ handler_name }}
Complaints team, {{ firm_name }}"""

GREETING = "Dear {{ addressee_name }},"

# DISP 1.4.1R(3); DISP 1.6.2R(1)(a)/(b): the redress on the complaint's ledger, item by item
# (the content check compares the letter with the ledger, amount by amount).
REDRESS_LEDGER = """Here is the redress we have recorded for you:

{% for item in redress_ledger %}- {{ item }}
{% endfor %}"""

ANNEX_3R_BLOCK = (
    "{% if consents_to_waive %}"
    + ANNEX_3R_CONSENT
    + "{% else %}"
    + ANNEX_3R_NO_CONSENT
    + "{% endif %}"
)

FINAL_FOS_BLOCK = f"""{{% if fos_available %}}## If you remain dissatisfied

This letter is our final response. If you remain dissatisfied, you may now refer your complaint \
to the Financial Ombudsman Service.

{ANNEX_3R_BLOCK}

{LEAFLET}

{FOS_CONTACT}
{{% else %}}## The Financial Ombudsman Service

This letter is our final response. {FOS_NOT_AVAILABLE_BLOCK}
{{% endif %}}"""

ACKNOWLEDGEMENT = f"""{GREETING}

Thank you for contacting us. We have received your complaint, which reached us on \
{{{{ received_date }}}}, and we are dealing with it. Your reference is {{{{ reference }}}}; \
please quote it whenever you contact us.

{{% if is_psd %}}We will send you our final response within 15 business days of receiving your \
complaint, that is by {{{{ final_response_due }}}}. If, in exceptional circumstances beyond our \
control, we cannot do that, we will send you a holding response within 15 business days \
explaining the reasons for the delay, and our final response within 35 business days of \
receiving your complaint, that is by {{{{ extended_final_response_due }}}}.\
{{% else %}}We will send you a written response within eight weeks of receiving your complaint, \
that is by {{{{ final_response_due }}}}. It will be either our final response or a letter \
explaining why we are not yet in a position to give one and when we expect to.{{% endif %}}

We will keep you informed of our progress. {{{{ handler_name }}}} is looking after your \
complaint. You can contact us at {{{{ firm_complaints_email }}}}\
{{% if firm_complaints_phone %}} or on {{{{ firm_complaints_phone }}}}{{% endif %}}.

## Summary of our complaints procedure

- Making a complaint is free of charge.
- We acknowledge every complaint promptly and tell you who is dealing with it.
- We investigate competently, diligently and impartially, and ask you for any further \
information we need.
- We aim to resolve your complaint as quickly as we can and keep you informed of our progress.
- Our final response will set out our decision, explain our reasons and, where appropriate, \
offer redress or put things right.
{{% if fos_available %}}- If you are dissatisfied with our final response, or we have not sent \
it within the time limit above, you may be entitled to refer your complaint to the Financial \
Ombudsman Service, free of charge. Its website is www.financial-ombudsman.org.uk.\
{{% else %}}- {FOS_NOT_AVAILABLE_BLOCK}{{% endif %}}

{SIGN_OFF}"""

SUMMARY_RESOLUTION = f"""{GREETING}

Thank you for raising your complaint with us on {{{{ received_date }}}} (our reference \
{{{{ reference }}}}). We are writing to confirm that we now consider your complaint resolved.

{{% if reasons %}}{{{{ reasons }}}}

{{% endif %}}{{% if redress_summary %}}{{{{ redress_summary }}}}

{{% endif %}}{{% if fos_available %}}If you later become dissatisfied with how we resolved your \
complaint, you may be able to refer your complaint to the Financial Ombudsman Service.

{ANNEX_3R_BLOCK}

You can find further information about the Financial Ombudsman Service on its website at \
www.financial-ombudsman.org.uk.
{{% else %}}{FOS_NOT_AVAILABLE_BLOCK}
{{% endif %}}
{SIGN_OFF}"""

HOLDING = f"""{GREETING}

We are writing about your complaint, which we received on {{{{ received_date }}}} (our \
reference {{{{ reference }}}}). We are sorry that we are not yet in a position to send you our \
final response.

## Why we need more time

{{{{ reasons }}}}

We expect to send you our final response by {{{{ expected_final_response_date }}}}, and we will \
keep you informed of our progress until then.

{{% if fos_available %}}## Your right to refer your complaint

Because we have not been able to send our final response within eight weeks, you may now refer \
your complaint to the Financial Ombudsman Service, free of charge, if you are dissatisfied.

{LEAFLET}

{FOS_CONTACT}
{{% else %}}## The Financial Ombudsman Service

{FOS_NOT_AVAILABLE_BLOCK}
{{% endif %}}
{SIGN_OFF}"""

HOLDING_PSD = f"""{GREETING}

We are writing about your complaint, which we received on {{{{ received_date }}}} (our \
reference {{{{ reference }}}}). Exceptional circumstances beyond our control mean that we cannot \
send you our final response within 15 business days.

## Reasons for the delay

{{{{ reasons }}}}

## When you will receive our final response

We will send you our final response no later than {{{{ extended_final_response_due }}}}, which is \
35 business days after we received your complaint.

{{% if fos_available %}}If you have not received our final response by then, you may refer your \
complaint to the Financial Ombudsman Service, free of charge. Its website is \
www.financial-ombudsman.org.uk.
{{% else %}}{FOS_NOT_AVAILABLE_BLOCK}
{{% endif %}}
{SIGN_OFF}"""

# DISP 1.6.1R(2): keeping the complainant informed. No referral wording: before eight weeks the
# Ombudsman cannot yet consider the complaint (DISP 2.8.1R(2)), and the checks refuse it.
PROGRESS_UPDATE = f"""{GREETING}

We are writing to keep you informed about your complaint, which we received on \
{{{{ received_date }}}} (our reference {{{{ reference }}}}). We are still dealing with it.

## Where we are

{{{{ reasons }}}}

{{% if expected_final_response_date %}}We expect to send you our final response by \
{{{{ expected_final_response_date }}}}. {{% endif %}}We will write to you again as soon as we \
have more to tell you. If you have any questions in the meantime, you can contact \
{{{{ handler_name }}}} at {{{{ firm_complaints_email }}}}\
{{% if firm_complaints_phone %}} or on {{{{ firm_complaints_phone }}}}{{% endif %}}.

{SIGN_OFF}"""

FINAL_UPHELD = f"""{GREETING}

Thank you for your patience while we investigated your complaint, which we received on \
{{{{ received_date }}}} (our reference {{{{ reference }}}}).

## Our decision

{{% if outcome_code == "partially_upheld" %}}We uphold part of your complaint. We are sorry for \
what went wrong.{{% else %}}We uphold your complaint. We are sorry for what went wrong.\
{{% endif %}}

{{% if reasons %}}{{{{ reasons }}}}

{{% endif %}}{{% if redress_summary or redress_ledger %}}## Putting things right

{{% if redress_summary %}}{{{{ redress_summary }}}}

{{% endif %}}{{% if redress_ledger %}}{REDRESS_LEDGER}
{{% endif %}}{{% endif %}}{FINAL_FOS_BLOCK}
{SIGN_OFF}"""

FINAL_REDRESS = f"""{GREETING}

Thank you for your patience while we investigated your complaint, which we received on \
{{{{ received_date }}}} (our reference {{{{ reference }}}}).

## Our decision

We have decided to offer you redress, without accepting that we have done anything wrong.

{{% if reasons %}}{{{{ reasons }}}}

{{% endif %}}## Our offer

{{% if redress_summary %}}{{{{ redress_summary }}}}

{{% endif %}}{{% if redress_ledger %}}{REDRESS_LEDGER}
{{% elif not redress_summary %}}We will write to you separately with the details of our offer and \
how we will pay it.

{{% endif %}}To accept our offer, please reply to {{{{ firm_complaints_email }}}} quoting your \
reference.

{FINAL_FOS_BLOCK}
{SIGN_OFF}"""

FINAL_REJECTED = f"""{GREETING}

Thank you for your patience while we investigated your complaint, which we received on \
{{{{ received_date }}}} (our reference {{{{ reference }}}}).

## Our decision

Having considered all the evidence, we do not uphold your complaint.

## Our reasons

{{% if reasons %}}{{{{ reasons }}}}{{% else %}}We have reviewed what you told us and our records, \
and we have not found that we made an error or treated you unfairly.{{% endif %}}

{FINAL_FOS_BLOCK}
{SIGN_OFF}"""

TIME_BARRED = f"""{GREETING}

We are writing about your complaint, which we received on {{{{ received_date }}}} (our \
reference {{{{ reference }}}}), about events on {{{{ event_date }}}}.

## Why we cannot consider your complaint

The rules that apply to us (DISP 1.8 of the FCA Handbook) allow us to reject a complaint without \
considering its merits when it is made outside the time limits. What you are complaining about \
happened more than six years before you complained to us, and you complained more than three \
years after you became aware (or should reasonably have become aware) that you had cause to \
complain. We therefore reject your complaint without considering its merits.

{{% if reasons %}}{{{{ reasons }}}}

{{% endif %}}{{% if fos_available %}}## If you remain dissatisfied

This letter is our final response.

{ANNEX_3R_TIME_BARRED}

{LEAFLET}

{FOS_CONTACT}
{{% else %}}## The Financial Ombudsman Service

This letter is our final response. {FOS_NOT_AVAILABLE_BLOCK}
{{% endif %}}
{SIGN_OFF}"""

FORWARDING_NOTICE = f"""{GREETING}

We are writing about your complaint, which we received on {{{{ received_date }}}} (our \
reference {{{{ reference }}}}).

Having looked into it, we believe that another firm, {{{{ other_firm_name }}}}, is responsible \
for {{% if is_partial_forward %}}part of {{% elif rest_forwarded %}}the rest of {{% endif %}}what \
you complain about, because:

{{{{ reasons }}}}

{{% if is_partial_forward %}}We have therefore forwarded part of your complaint to them today. \
{{% elif rest_forwarded %}}We have therefore forwarded the rest of your complaint to them today. \
{{% else %}}We have therefore forwarded your complaint to them today. {{% endif %}}They will treat \
it as a complaint made directly to them and will respond to you.

## Their contact details

{{{{ other_firm_name }}}}
{{{{ other_firm_contact }}}}

{{% if is_partial_forward %}}## The rest of your complaint

We will continue to deal with the rest of your complaint ourselves. This letter is not our final \
response on the rest of your complaint: we will send you our final response on it by \
{{{{ rest_response_due }}}}, or, if we cannot, a letter explaining why and when we expect to send \
it. That letter will tell you what you can do if you remain dissatisfied with how we have dealt \
with the rest of your complaint.

{{% endif %}}{{% if fos_available %}}## If you remain dissatisfied

{{% if is_partial_forward %}}This letter is our final response on the part of your complaint we \
have forwarded. If you remain dissatisfied with it, you may now refer your complaint to the \
Financial Ombudsman Service as far as it is about that part. The rest of this section is about \
the part of your complaint we have forwarded.{{% else %}}This letter is our final response to \
your complaint. If you remain dissatisfied with it, you may now refer your complaint to the \
Financial Ombudsman Service.{{% endif %}}

{ANNEX_3R_BLOCK}

{LEAFLET}

{FOS_CONTACT}
{{% else %}}## The Financial Ombudsman Service

This letter is our final response {{% if is_partial_forward %}}on the part of your complaint we \
have forwarded{{% else %}}to your complaint{{% endif %}}. {FOS_NOT_AVAILABLE_BLOCK}
{{% endif %}}
{SIGN_OFF}"""

FORWARDING_COVER = """Dear Complaints Manager,

## Complaint forwarded to you under DISP 1.7

We received a complaint from {{ complainant_name }} on {{ received_date }} (our reference \
{{ reference }}). We reasonably consider that your firm is \
{% if is_partial_forward %}jointly {% else %}solely {% endif %}responsible for \
{% if is_partial_forward %}part of {% elif rest_forwarded %}the rest of {% endif %}what the \
complainant complains about, because:

{{ reasons }}

{% if is_partial_forward %}We are therefore forwarding part of the complaint to you under \
DISP 1.7 of the FCA Handbook. We will deal with the rest ourselves.\
{% else %}We are therefore forwarding the complaint to you under DISP 1.7 of the FCA \
Handbook.{% endif %}

## The complaint

{{ complaint_description }}

## The complainant

{{ complainant_name }}
{{ complainant_address }}
{{ complainant_email }}

We have told the complainant that we have forwarded the complaint to you and given them your \
contact details.

Yours faithfully,

{{ handler_name }}
Complaints team, {{ firm_name }}"""

SUBJECTS: dict[str, str] = {
    LetterType.ACKNOWLEDGEMENT: "We have received your complaint ({{ reference }})",
    LetterType.SUMMARY_RESOLUTION: "Your complaint is resolved ({{ reference }})",
    LetterType.HOLDING: "An update on your complaint ({{ reference }})",
    LetterType.HOLDING_PSD: "An update on your complaint ({{ reference }})",
    LetterType.PROGRESS_UPDATE: "Progress on your complaint ({{ reference }})",
    LetterType.FINAL_UPHELD: "Our final response to your complaint ({{ reference }})",
    LetterType.FINAL_REDRESS: "Our final response to your complaint ({{ reference }})",
    LetterType.FINAL_REJECTED: "Our final response to your complaint ({{ reference }})",
    LetterType.TIME_BARRED: "Our final response to your complaint ({{ reference }})",
    LetterType.FORWARDING_NOTICE: "We have forwarded your complaint ({{ reference }})",
    LetterType.FORWARDING_COVER: "Complaint forwarded under DISP 1.7 ({{ reference }})",
    **DPA_SUBJECTS,
}

BODIES: dict[str, str] = {
    LetterType.ACKNOWLEDGEMENT: ACKNOWLEDGEMENT,
    LetterType.SUMMARY_RESOLUTION: SUMMARY_RESOLUTION,
    LetterType.HOLDING: HOLDING,
    LetterType.HOLDING_PSD: HOLDING_PSD,
    LetterType.PROGRESS_UPDATE: PROGRESS_UPDATE,
    LetterType.FINAL_UPHELD: FINAL_UPHELD,
    LetterType.FINAL_REDRESS: FINAL_REDRESS,
    LetterType.FINAL_REJECTED: FINAL_REJECTED,
    LetterType.TIME_BARRED: TIME_BARRED,
    LetterType.FORWARDING_NOTICE: FORWARDING_NOTICE,
    LetterType.FORWARDING_COVER: FORWARDING_COVER,
    **DPA_BODIES,
}

# Ordered for the editor's "insert standard wording" menu.
SNIPPETS = {
    "Annex 3R: no consent to waive (six-month wording)": ANNEX_3R_NO_CONSENT,
    "Annex 3R: consent to waive": ANNEX_3R_CONSENT,
    "Annex 3R: outside the time limits, no consent to waive": ANNEX_3R_TIME_BARRED,
    "FOS leaflet enclosed": LEAFLET,
    "FOS website and contact details": FOS_CONTACT,
    "FOS not available (no UK establishment)": FOS_NOT_AVAILABLE,
    "FOS cannot consider it (event before the regime began)": FOS_BEFORE_COMMENCEMENT,
    "FOS may not be able to consider it (event date unknown)": FOS_EVENT_DATE_UNKNOWN,
}


def has_welsh(letter_type: str) -> bool:
    """Whether ``letter_type`` has Welsh standard wording (``defaults_cy``)."""
    from . import defaults_cy

    return letter_type in defaults_cy.BODIES


def default_template(letter_type: str, language: str = "en") -> tuple[str, str]:
    """(subject, body) of the system default for ``letter_type`` in ``language`` ("en", or
    "cy" for Welsh: ``defaults_cy``, every letter type sent to a complainant)."""
    if language == "cy":
        from . import defaults_cy  # imported here: it builds on this module's Annex 3R text

        return defaults_cy.SUBJECTS[letter_type], defaults_cy.BODIES[letter_type]
    return SUBJECTS[letter_type], BODIES[letter_type]
