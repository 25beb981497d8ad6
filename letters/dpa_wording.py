"""The standard wording of the data-protection complaint letters (DPA 2018 s.164A).

s.164A(3): acknowledge receipt; (4)(b) inform the complainant of the outcome. The ICO's guidance
for organisations ("How to deal with data protection complaints", February 2026) asks that the
acknowledgement confirm the complaint was received and will be looked into, and that the outcome
tell the complainant they may complain to the Information Commissioner if they remain unhappy;
its public pages ask people to do so within three months of their last meaningful contact with
the organisation. The ICO's contact details are settings (``LETTERS_ICO_CONTACT``), like the
FOS's: the defaults are those the ICO publishes (ico.org.uk/make-a-complaint).
"""

from __future__ import annotations

ICO_CONTACT_DEFAULTS = {
    "ico_name": "Information Commissioner's Office",
    "ico_address": "Information Commissioner's Office, Wycliffe House, Water Lane, Wilmslow, "
    "Cheshire SK9 5AF",
    "ico_phone": "0303 123 1113",
    "ico_website": "https://ico.org.uk/make-a-complaint/",
}

_GREETING = "Dear {{ complainant_name }},"
_SIGN_OFF = """Yours sincerely,

{{ handler_name }}
Complaints team, {{ firm_name }}"""

DPA_ACKNOWLEDGEMENT = f"""{_GREETING}

Thank you for contacting us. We have received your complaint about how we use your personal \
data, and we are looking into it. Your reference is {{{{ reference }}}}; please quote it \
whenever you contact us.

We will tell you how our enquiries are progressing and, as soon as we have finished them, what \
the outcome of your complaint is. This does not wait for any other part of your complaint: if \
your complaint is also about our services, we will answer that part separately.

{{{{ handler_name }}}} is looking after your complaint. You can contact us at \
{{{{ firm_complaints_email }}}}{{% if firm_complaints_phone %}} or on \
{{{{ firm_complaints_phone }}}}{{% endif %}}.

{_SIGN_OFF}"""

DPA_OUTCOME = f"""{_GREETING}

We have finished looking into your complaint about how we use your personal data (our \
reference {{{{ reference }}}}). This letter tells you the outcome of that complaint.

## The outcome of your complaint

{{{{ reasons }}}}

## If you are not happy with this outcome

You have the right to complain to the Information Commissioner, the UK's independent \
regulator for data protection. You can contact the {{{{ ico_name }}}} through its website at \
{{{{ ico_website }}}}, by calling its helpline on {{{{ ico_phone }}}}, or by writing to \
{{{{ ico_address }}}}. The Information Commissioner asks people to complain within three \
months of their last meaningful contact with us.

If your complaint is also about our services, this letter does not end that part of it: we \
will send you our response to it separately.

{_SIGN_OFF}"""

DPA_SUBJECTS = {
    "dpa_acknowledgement": "We have received your data protection complaint ({{ reference }})",
    "dpa_outcome": "The outcome of your data protection complaint ({{ reference }})",
}
DPA_BODIES = {
    "dpa_acknowledgement": DPA_ACKNOWLEDGEMENT,
    "dpa_outcome": DPA_OUTCOME,
}
