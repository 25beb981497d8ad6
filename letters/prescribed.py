"""DISP 1 Annex 3R, the wording the FCA prescribes, quoted verbatim from the Handbook (the
stored copy of https://handbook.fca.org.uk/handbook/DISP/1/Annex3.html?date=2016-07-17&timeline=True).
English only: there is no official Welsh text, so the Welsh letters (``defaults_cy``) print it
in English too. The standard templates (``defaults``, ``defaults_cy``) and the checks read it
from here."""

from __future__ import annotations

ANNEX_3R_NO_CONSENT = (
    "You have the right to refer your complaint to the Financial Ombudsman Service, free of "
    "charge – but you must do so within six months of the date of this letter. If you do not "
    "refer your complaint in time, the Ombudsman will not have our permission to consider your "
    "complaint and so will only be able to do so in very limited circumstances. For example, if "
    "the Ombudsman believes that the delay was as a result of exceptional circumstances."
)

# DISP 1 Annex 3R variant (2), for a complaint received outside the six-year/three-year time
# limits where the respondent does not consent to waive those limits or the six-month limit.
# Character for character as the Handbook prints it (its bullets are this template's list
# items). DISP 1.6.2R(1)(f) and DISP 1.8 require it in a time-barred rejection; the content
# check compares the letter against this text. The stored Handbook excerpt ends at "...and so
# will only be"; the rest of the last sentence is variant (1)'s (docs/letters.md).
ANNEX_3R_TIME_BARRED = """You have the right to refer your complaint to the Financial Ombudsman \
Service, free of charge.

The Ombudsman might not be able to consider your complaint if:

- what you’re complaining about happened more than six years ago, and
- you’re complaining more than three years after you realised (or should have realised) that \
there was a problem.

We think that your complaint was made outside of these time limits but this is a matter for the \
Ombudsman to decide. If the Ombudsman agrees with us, they will not have our permission to \
consider your complaint and so will only be able to do so in very limited circumstances (see \
below).

If you do decide to refer your complaint to the Ombudsman you must do so within six months of \
the date of this letter.

If you do not refer your complaint to the Ombudsman within six months of the date of this \
letter, the Ombudsman will not have our permission to consider your complaint and so will only \
be able to do so in very limited circumstances. For example, if the Ombudsman believes that the \
delay was as a result of exceptional circumstances."""
