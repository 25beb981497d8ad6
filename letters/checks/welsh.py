"""The Welsh forms of the phrases the content checks look for (letters in Welsh, chosen where
the firm offers Welsh: ``content.letter_language``).

A Welsh letter passes a check when it carries the English phrase or its Welsh form, so the
English text DISP 1 Annex 3R prescribes (which a Welsh letter prints verbatim, there being no
official Welsh text) satisfies the checks it always satisfied, and the Welsh sentences satisfy
the rest. Forbidden wording is forbidden in both languages. Welsh mutates initial consonants
(``Gwasanaeth`` after "at" is ``Wasanaeth``; ``cyfeirio`` after "gallwch" is ``gyfeirio``), so
the forms allow each mutation the standard wording can take. Every phrase a check of a letter
to the complainant uses has a Welsh form here (``tests/letters/checks/test_welsh.py``): a new
check without one fails that test rather than silently passing English-only.
"""

from __future__ import annotations

import re

from . import dpa
from . import text as en

FOS = r"g?wasanaeth yr ombwdsmon ariannol"
_REFER = r"[cg]yfeirio (?:eich cwyn|y gŵyn|y gwyn|hi|ei chwyn)"
_NOT_YET = (
    r"\bos nad (?:ydych|ydym|ydyn ni) (?:wedi|eto)|\bunwaith\b|\berbyn hynny\b"
    r"|\bar ôl (?:wyth|8) wythnos"
)
_MAY_NOW_REFER = (
    r"gallwch (?:nawr|bellach) (?:gyfeirio|fynd â|gwyno)"
    r"|(?:^|[.!?:]\s)(?:(?!" + _NOT_YET + r")[^.!?])*?gallwch gyfeirio (?:eich|y|hi)\b"
    r"(?![^.!?]*(?:" + _NOT_YET + r"))"
)

# English pattern -> its Welsh form.
WELSH: dict[str, str] = {
    en.FOS_REFERRAL: _REFER + r" at " + FOS,
    en.MAY_NOW_REFER: _MAY_NOW_REFER,
    en.SIX_MONTH: r"cyn pen chwe mis o ddyddiad (?:y llythyr hwn|ein hymateb terfynol|yr ymateb)",
    en.SIX_MONTH_LIMIT: r"chwe mis (?:o ddyddiad|ar ôl dyddiad) (?:y llythyr hwn|ein hymateb)",
    en.NO_CONSENT: r"ni fydd gan yr ombwdsmon ein caniatâd i ystyried eich cwyn",
    en.CONSENT: r"rydym yn cydsynio i'r ombwdsmon ystyried eich cwyn",
    en.ANNEX_3R_1_OPENING: r"yn rhad ac am ddim\s*-\s*ond rhaid i chi wneud hynny cyn pen chwe mis",
    # Not "Nid y llythyr hwn yw ein hymateb terfynol" (it is not our final response).
    en.FINAL_RESPONSE: r"(?<!nid )(?:y llythyr|yr hysbysiad) hwn yw ein hymateb terfynol",
    en.FOS_WEBSITE: en.FOS_WEBSITE,
    en.LEAFLET: r"amgáu[^.]{0,120}[dt]aflen|[dt]aflen[^.]{0,120}amgáu",
    en.FURTHER_INFO: r"(?:rhagor o|mwy o) wybodaeth am " + FOS,
    en.BEFORE_REGIME: r"cyn [^.]{0,120}(?:dechreuodd|daeth i rym|y dechreuodd)",
    en.OWN_PROCEDURE: r"ein gweithdrefn gwyno (?:ein hunain )?yn dal yn berthnasol",
    en.MAY_NOT_CONSIDER: r"efallai na fydd " + FOS + r" yn gallu ystyried",
    en.NOT_AVAILABLE: r"ni all " + FOS + r" ystyried|nid yw " + FOS + r" ar gael",
    # Acknowledgement (DISP 1.6.1R(1)).
    r"received your complaint": r"wedi (?:cael|derbyn) eich cwyn",
    (
        r"dealing with (?:it|your complaint)|looking into (?:it|your complaint)"
        r"|investigating (?:it|your complaint)"
    ): r"yn delio â (?:hi|'ch cwyn|eich cwyn)|yn ymchwilio i(?:'ch cwyn| hi)",
    r"within (?:eight|8) weeks": r"(?:cyn pen|o fewn) (?:wyth|8) wythnos",
    r"final response": r"ymateb terfynol",
    r"holding response|not (?:yet )?(?:in a position|able) to": (
        r"ymateb dros dro|nad ydym (?:eto )?mewn sefyllfa i|na allwn (?:eto )?"
    ),
    r"(?:15|fifteen) business days": r"(?:15|pymtheg) diwrnod busnes",
    r"(?:35|thirty-five) business days": r"(?:35|tri deg pump) diwrnod busnes",
    r"holding response": r"ymateb dros dro",
    r"complaints (?:handling )?procedure": r"gweithdrefn (?:gwyno|ymdrin â chwynion)",
    # SRC (DISP 1.5.4R(1)).
    (
        r"consider (?:your|the|this) complaint (?:to be |to have been |as )?"
        r"resolved|(?:your|the) complaint (?:is|has been) resolved"
    ): r"eich cwyn wedi(?:'i| ei) datrys",
    # Final responses (DISP 1.6.2R(1)(a)-(c)).
    r"we (?:have )?(?:uphold|upheld|are upholding|accept)": (
        r"rydym (?:wedi )?(?:yn )?cadarnhau (?:eich cwyn|rhan o'ch cwyn)"
    ),
    r"without (?:accepting|admitting)": r"heb (?:dderbyn|gyfaddef)",
    r"our offer|we (?:will|would like to) (?:pay|offer)": (
        r"ein cynnig|byddwn yn (?:talu|cynnig)|hoffem gynnig"
    ),
    r"(?:do not|don't|cannot|are not able to) uphold|not upheld|reject": (
        r"nid ydym yn cadarnhau|ni allwn gadarnhau|gwrthod"
    ),
    r"our reasons|reasons for (?:our|this) decision": (
        r"ein rhesymau|rhesymau dros (?:ein|y) penderfyniad"
    ),
    # Time-barred rejection (DISP 1.8; Annex 3R(2)).
    r"more than (?:six|6) years": r"[fm]wy na (?:chwe|6) blynedd",
    r"more than (?:three|3) years": r"[fm]wy na (?:thair|3) blynedd",
    r"matter for the (?:financial )?ombudsman(?: service)? to decide": (
        r"mater i'r ombwdsmon yw penderfynu"
    ),
    # Forwarding notice (DISP 1.7).
    r"forwarded (?:the whole of |part of |the rest of )?your complaint": (
        r"wedi anfon (?:rhan o'ch cwyn|gweddill eich cwyn|eich cwyn) ymlaen"
    ),
    r"continue to deal with|still deal with|remain responsible": (
        r"parhau i ddelio â|yn dal i ddelio â|yn parhau'n gyfrifol"
    ),
    # Data-protection letters (DPA 2018 s.164A; ``checks.dpa``, ``dpa_wording_cy``).
    dpa.RECEIVED: r"wedi (?:cael|derbyn) eich cwyn(?: diogelu data)?",
    dpa.PERSONAL_DATA: r"\bdata personol|gwybodaeth bersonol",
    # "ymchwilio i" + "hi" is "ymchwilio iddi".
    dpa.LOOKING_INTO: r"yn ymchwilio (?:iddi|i'ch cwyn)|yn delio â(?: hi|'ch cwyn| eich cwyn)",
    dpa.PROGRESS: r"\bhynt\b|\bcynnydd\b",
    # Not "o ganlyniad i" (as a result of).
    dpa.OUTCOME: r"\b(?:c|g|ngh)anlyniad\b(?! i\b)",
    # "i" softens "cwyno"; "Comisiynydd" after "y"/"'r" keeps its c.
    dpa.ICO_RIGHT: r"hawl i gwyno (?:wrth y|i'r|at y) comisiynydd gwybodaeth",
}


def welsh_form(pattern: str) -> str | None:
    return WELSH.get(pattern)


def either(pattern: str) -> str:
    """``pattern`` or its Welsh form: what a Welsh letter is read for."""
    cy = WELSH.get(pattern)
    return pattern if cy is None or cy == pattern else f"(?:{pattern})|(?:{cy})"


def has_either(pattern: str, text: str) -> bool:
    """The (normalised) letter says it in English or in Welsh."""
    return re.search(either(pattern), text) is not None
