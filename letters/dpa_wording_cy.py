"""The Welsh standard wording of the data-protection complaint letters (DPA 2018 s.164A): the
same content as ``dpa_wording`` (docs/data-protection.md), chosen when the complainant asked for
Welsh and the firm offers it (``content.letter_language``).

The acknowledgement says the complaint was received and is being looked into, that the firm will
say how its enquiries progress and what the outcome is, and that this does not wait for the DISP
complaint (s.164A(3), (4)(a), (5)). The outcome states it (s.164A(4)(b)) and the right to
complain to the Information Commissioner, named in Welsh as the ICO names itself (Swyddfa'r
Comisiynydd Gwybodaeth), with the contact details the settings give (``LETTERS_ICO_CONTACT``)
and the ICO's three months. The Act prescribes no wording in either language; this is this
product's own plain Welsh, which a Welsh speaker at the firm reviews like the other Welsh
templates (``defaults_cy``). The content checks read it through the Welsh forms of their phrases
(``checks.welsh``).
"""

from __future__ import annotations

_GREETING = "Annwyl {{ complainant_name }},"
_SIGN_OFF = """Yn gywir,

{{ handler_name }}
Tîm cwynion, {{ firm_name }}"""

DPA_ACKNOWLEDGEMENT_CY = f"""{_GREETING}

Diolch am gysylltu â ni. Rydym wedi cael eich cwyn am y ffordd rydym yn defnyddio eich data \
personol, ac rydym yn ymchwilio iddi. Eich cyfeirnod yw {{{{ reference }}}}; nodwch ef bob tro \
y byddwch yn cysylltu â ni.

Byddwn yn rhoi gwybod i chi am hynt ein hymholiadau, a byddwn yn dweud wrthych beth yw \
canlyniad eich cwyn cyn gynted ag y byddwn wedi eu gorffen. Nid yw hyn yn aros am unrhyw ran \
arall o'ch cwyn: os yw eich cwyn hefyd yn ymwneud â'n gwasanaethau, byddwn yn ateb y rhan \
honno ar wahân.

Mae {{{{ handler_name }}}} yn gofalu am eich cwyn. Gallwch gysylltu â ni yn \
{{{{ firm_complaints_email }}}}{{% if firm_complaints_phone %}} neu ar \
{{{{ firm_complaints_phone }}}}{{% endif %}}.

{_SIGN_OFF}"""

DPA_OUTCOME_CY = f"""{_GREETING}

Rydym wedi gorffen ymchwilio i'ch cwyn am y ffordd rydym yn defnyddio eich data personol (ein \
cyfeirnod {{{{ reference }}}}). Mae'r llythyr hwn yn rhoi gwybod i chi beth yw canlyniad y \
gŵyn honno.

## Canlyniad eich cwyn

{{{{ reasons }}}}

## Os nad ydych yn fodlon â'r canlyniad hwn

Mae gennych hawl i gwyno wrth y Comisiynydd Gwybodaeth, rheoleiddiwr annibynnol y Deyrnas \
Unedig ar gyfer diogelu data. Gallwch gysylltu â Swyddfa'r Comisiynydd Gwybodaeth \
({{{{ ico_name }}}}) drwy ei gwefan yn {{{{ ico_website }}}}, drwy ffonio ei llinell gymorth ar \
{{{{ ico_phone }}}}, neu drwy ysgrifennu at {{{{ ico_address }}}}. Mae'r Comisiynydd Gwybodaeth \
yn gofyn i bobl gwyno cyn pen tri mis ar ôl eu cysylltiad ystyrlon diwethaf â ni.

Os yw eich cwyn hefyd yn ymwneud â'n gwasanaethau, nid yw'r llythyr hwn yn dod â'r rhan honno \
ohoni i ben: byddwn yn anfon ein hateb i'r rhan honno atoch ar wahân.

{_SIGN_OFF}"""

DPA_SUBJECTS_CY = {
    "dpa_acknowledgement": "Rydym wedi cael eich cwyn diogelu data ({{ reference }})",
    "dpa_outcome": "Canlyniad eich cwyn diogelu data ({{ reference }})",
}
DPA_BODIES_CY = {
    "dpa_acknowledgement": DPA_ACKNOWLEDGEMENT_CY,
    "dpa_outcome": DPA_OUTCOME_CY,
}
