"""The Welsh system default templates (Cymraeg): the standard wording in Welsh for every letter
type sent to a complainant, chosen when the complainant asked for Welsh and the firm offers it.

The FCA publishes no Welsh text of DISP 1 Annex 3R (docs/letters.md, "Letters in Welsh"), so
where a letter must use the prescribed wording it prints this product's Welsh rendering and
then the English wording **verbatim**, introduced as the wording the rules prescribe. Every other
sentence is this product's own Welsh, written in plain Welsh after the Financial Ombudsman
Service's own Welsh material ("Gwasanaeth yr Ombwdsmon Ariannol", "ymateb terfynol"). A Welsh
speaker at the firm must review these templates before the firm offers Welsh letters; the firm
can edit them like any template. The covering letter to another firm (DISP 1.7) is always in
English and has no Welsh variant. The data-protection letters' Welsh wording (DPA 2018 s.164A)
is in ``dpa_wording_cy``, beside the English ``dpa_wording``, and joins ``SUBJECTS`` and
``BODIES`` here.
"""

from __future__ import annotations

from .choices import LetterType
from .dpa_wording_cy import DPA_BODIES_CY, DPA_SUBJECTS_CY
from .prescribed import ANNEX_3R_NO_CONSENT, ANNEX_3R_TIME_BARRED

FOS_NOT_AVAILABLE = (
    "Ni all Gwasanaeth yr Ombwdsmon Ariannol ystyried cwynion am y gwasanaeth hwn, oherwydd "
    "nad ydym yn ei ddarparu o sefydliad yn y Deyrnas Unedig. Mae hyn yn golygu na allwch fynd "
    "â'r gŵyn hon at Wasanaeth yr Ombwdsmon Ariannol."
)

FOS_BEFORE_COMMENCEMENT = (
    "Ni all Gwasanaeth yr Ombwdsmon Ariannol ystyried y gŵyn hon, oherwydd bod yr hyn rydych yn "
    "cwyno amdano wedi digwydd cyn {{ fos_commencement_date }}, pan ddechreuodd y rheolau sy'n "
    "caniatáu i'r Ombwdsmon ystyried cwynion am y gwasanaeth cryptoasedau hwn. Mae ein "
    "gweithdrefn gwyno ein hunain yn dal yn berthnasol i'ch cwyn, a gallwch gysylltu â ni "
    "amdani ar unrhyw adeg yn {{ firm_complaints_email }}."
)

FOS_EVENT_DATE_UNKNOWN = (
    "Efallai na fydd Gwasanaeth yr Ombwdsmon Ariannol yn gallu ystyried y gŵyn hon. Dim ond "
    "lle digwyddodd yr hyn rydych yn cwyno amdano ar {{ fos_commencement_date }} neu ar ôl "
    "hynny y gall ystyried cwynion am y gwasanaeth cryptoasedau hwn, ac nid ydym wedi gallu "
    "canfod pryd y digwyddodd. Gallwch ofyn i Wasanaeth yr Ombwdsmon Ariannol a all ystyried "
    "eich cwyn: ei wefan yw www.financial-ombudsman.org.uk. Mae ein gweithdrefn gwyno ein "
    "hunain yn dal yn berthnasol i'ch cwyn, a gallwch gysylltu â ni amdani ar unrhyw adeg yn "
    "{{ firm_complaints_email }}."
)

FOS_NOT_AVAILABLE_BLOCK = (
    '{% if fos_unavailable_because == "before_commencement" %}'
    + FOS_BEFORE_COMMENCEMENT
    + '{% elif fos_unavailable_because == "event_date_unknown" %}'
    + FOS_EVENT_DATE_UNKNOWN
    + "{% else %}"
    + FOS_NOT_AVAILABLE
    + "{% endif %}"
)

# Introduces the English text of DISP 1 Annex 3R, which has no official Welsh version.
PRESCRIBED_ENGLISH = (
    "Dyma'r geiriad y mae rheolau'r Awdurdod Ymddygiad Ariannol (DISP 1 Atodiad 3R) yn ei "
    "ragnodi, yn Saesneg:"
)

# This product's Welsh rendering of DISP 1 Annex 3R variant (1), then the English verbatim.
ANNEX_3R_NO_CONSENT_CY = (
    "Mae gennych hawl i gyfeirio eich cwyn at Wasanaeth yr Ombwdsmon Ariannol, yn rhad ac am "
    "ddim – ond rhaid i chi wneud hynny cyn pen chwe mis o ddyddiad y llythyr hwn. Os na "
    "fyddwch yn cyfeirio eich cwyn mewn pryd, ni fydd gan yr Ombwdsmon ein caniatâd i ystyried "
    "eich cwyn ac felly dim ond mewn amgylchiadau cyfyngedig iawn y bydd yn gallu gwneud "
    "hynny. Er enghraifft, os yw'r Ombwdsmon o'r farn bod yr oedi o ganlyniad i amgylchiadau "
    "eithriadol."
)
ANNEX_3R_NO_CONSENT_BOTH = f"""{ANNEX_3R_NO_CONSENT_CY}

{PRESCRIBED_ENGLISH}

{ANNEX_3R_NO_CONSENT}"""

# The consent wording is the product's own in English too (docs/letters.md): Welsh only.
ANNEX_3R_CONSENT = (
    "Mae gennych hawl i gyfeirio eich cwyn at Wasanaeth yr Ombwdsmon Ariannol, yn rhad ac am "
    "ddim. Rydym yn cydsynio i'r Ombwdsmon ystyried eich cwyn hyd yn oed os byddwch yn ei "
    "chyfeirio fwy na chwe mis ar ôl dyddiad y llythyr hwn, neu y tu allan i'r terfynau amser "
    "eraill a fyddai'n berthnasol fel arfer. Ni allwn dynnu'r cydsyniad hwn yn ôl."
)

ANNEX_3R_TIME_BARRED_CY = """Mae gennych hawl i gyfeirio eich cwyn at Wasanaeth yr Ombwdsmon \
Ariannol, yn rhad ac am ddim.

Efallai na fydd yr Ombwdsmon yn gallu ystyried eich cwyn:

- os digwyddodd yr hyn rydych yn cwyno amdano fwy na chwe blynedd yn ôl, a
- os ydych yn cwyno fwy na thair blynedd ar ôl i chi sylweddoli (neu y dylech fod wedi \
sylweddoli) bod problem.

Rydym o'r farn bod eich cwyn wedi'i gwneud y tu allan i'r terfynau amser hyn, ond mater i'r \
Ombwdsmon yw penderfynu ar hyn. Os yw'r Ombwdsmon yn cytuno â ni, ni fydd ganddo ein caniatâd \
i ystyried eich cwyn ac felly dim ond mewn amgylchiadau cyfyngedig iawn y bydd yn gallu gwneud \
hynny (gweler isod).

Os byddwch yn penderfynu cyfeirio eich cwyn at yr Ombwdsmon, rhaid i chi wneud hynny cyn pen \
chwe mis o ddyddiad y llythyr hwn.

Os na fyddwch yn cyfeirio eich cwyn at yr Ombwdsmon cyn pen chwe mis o ddyddiad y llythyr hwn, \
ni fydd gan yr Ombwdsmon ein caniatâd i ystyried eich cwyn ac felly dim ond mewn amgylchiadau \
cyfyngedig iawn y bydd yn gallu gwneud hynny. Er enghraifft, os yw'r Ombwdsmon o'r farn bod yr \
oedi o ganlyniad i amgylchiadau eithriadol."""

LEAFLET = (
    "Rydym wedi amgáu copi o daflen esboniadol safonol Gwasanaeth yr Ombwdsmon Ariannol, sy'n "
    "esbonio sut mae'r Ombwdsmon yn gweithio."
)

FOS_CONTACT = (
    "Mae rhagor o wybodaeth am Wasanaeth yr Ombwdsmon Ariannol ar ei wefan yn "
    "www.financial-ombudsman.org.uk. Gallwch hefyd ysgrifennu at {{ fos_address }}, ffonio "
    "{{ fos_phone }} neu anfon e-bost at {{ fos_email }}."
)

SIGN_OFF = """Yn gywir,

{{ handler_name }}
Tîm cwynion, {{ firm_name }}"""

GREETING = "Annwyl {{ complainant_name }},"

REDRESS_LEDGER = """Dyma'r iawndal rydym wedi'i gofnodi ar eich cyfer:

{% for item in redress_ledger %}- {{ item }}
{% endfor %}"""

ANNEX_3R_BLOCK = (
    "{% if consents_to_waive %}"
    + ANNEX_3R_CONSENT
    + "{% else %}"
    + ANNEX_3R_NO_CONSENT_BOTH
    + "{% endif %}"
)

FINAL_FOS_BLOCK = f"""{{% if fos_available %}}## Os ydych yn dal yn anfodlon

Y llythyr hwn yw ein hymateb terfynol. Os ydych yn dal yn anfodlon, gallwch nawr gyfeirio eich \
cwyn at Wasanaeth yr Ombwdsmon Ariannol.

{ANNEX_3R_BLOCK}

{LEAFLET}

{FOS_CONTACT}
{{% else %}}## Gwasanaeth yr Ombwdsmon Ariannol

Y llythyr hwn yw ein hymateb terfynol. {FOS_NOT_AVAILABLE_BLOCK}
{{% endif %}}"""

RECEIVED = """ein cyfeirnod {{ reference }}"""

ACKNOWLEDGEMENT = f"""{GREETING}

Diolch am gysylltu â ni. Rydym wedi cael eich cwyn, a ddaeth i law ar {{{{ received_date }}}}, \
ac rydym yn delio â hi. Eich cyfeirnod yw {{{{ reference }}}}; nodwch ef bob tro y byddwch yn \
cysylltu â ni.

{{% if is_psd %}}Byddwn yn anfon ein hymateb terfynol atoch cyn pen 15 diwrnod busnes ar ôl \
cael eich cwyn, sef erbyn {{{{ final_response_due }}}}. Os na allwn wneud hynny, mewn \
amgylchiadau eithriadol y tu hwnt i'n rheolaeth, byddwn yn anfon ymateb dros dro atoch cyn pen \
15 diwrnod busnes yn esbonio'r rhesymau dros yr oedi, a'n hymateb terfynol cyn pen 35 diwrnod \
busnes ar ôl cael eich cwyn, sef erbyn {{{{ extended_final_response_due }}}}.\
{{% else %}}Byddwn yn anfon ymateb ysgrifenedig atoch cyn pen wyth wythnos ar ôl cael eich \
cwyn, sef erbyn {{{{ final_response_due }}}}. Naill ai ein hymateb terfynol fydd hwnnw, neu \
lythyr yn esbonio pam nad ydym eto mewn sefyllfa i roi un a phryd rydym yn disgwyl gwneud \
hynny.{{% endif %}}

Byddwn yn rhoi gwybod i chi sut mae pethau'n mynd. Mae {{{{ handler_name }}}} yn gofalu am \
eich cwyn. Gallwch gysylltu â ni yn {{{{ firm_complaints_email }}}}\
{{% if firm_complaints_phone %}} neu ar {{{{ firm_complaints_phone }}}}{{% endif %}}.

## Crynodeb o'n gweithdrefn gwyno

- Mae gwneud cwyn yn rhad ac am ddim.
- Rydym yn cydnabod pob cwyn yn brydlon ac yn dweud wrthych pwy sy'n delio â hi.
- Rydym yn ymchwilio'n gymwys, yn ddiwyd ac yn ddiduedd, ac yn gofyn i chi am unrhyw \
wybodaeth arall sydd ei hangen arnom.
- Ein nod yw datrys eich cwyn cyn gynted ag y gallwn a rhoi gwybod i chi sut mae pethau'n mynd.
- Bydd ein hymateb terfynol yn nodi ein penderfyniad, yn esbonio ein rhesymau ac, os yw'n \
briodol, yn cynnig iawndal neu'n unioni pethau.
{{% if fos_available %}}- Os ydych yn anfodlon â'n hymateb terfynol, neu os nad ydym wedi ei \
anfon o fewn y terfyn amser uchod, efallai y bydd gennych hawl i gyfeirio eich cwyn at \
Wasanaeth yr Ombwdsmon Ariannol, yn rhad ac am ddim. Ei wefan yw \
www.financial-ombudsman.org.uk.\
{{% else %}}- {FOS_NOT_AVAILABLE_BLOCK}{{% endif %}}

{SIGN_OFF}"""

SUMMARY_RESOLUTION = f"""{GREETING}

Diolch am godi eich cwyn gyda ni ar {{{{ received_date }}}} ({RECEIVED}). Rydym yn ysgrifennu \
i gadarnhau ein bod bellach yn ystyried bod eich cwyn wedi'i datrys.

{{% if reasons %}}{{{{ reasons }}}}

{{% endif %}}{{% if redress_summary %}}{{{{ redress_summary }}}}

{{% endif %}}{{% if fos_available %}}Os byddwch yn anfodlon yn nes ymlaen â'r ffordd y \
gwnaethom ddatrys eich cwyn, efallai y gallwch gyfeirio eich cwyn at Wasanaeth yr Ombwdsmon \
Ariannol.

{ANNEX_3R_BLOCK}

Mae rhagor o wybodaeth am Wasanaeth yr Ombwdsmon Ariannol ar ei wefan yn \
www.financial-ombudsman.org.uk.
{{% else %}}{FOS_NOT_AVAILABLE_BLOCK}
{{% endif %}}
{SIGN_OFF}"""

HOLDING = f"""{GREETING}

Rydym yn ysgrifennu am eich cwyn, a ddaeth i law ar {{{{ received_date }}}} ({RECEIVED}). Mae'n \
ddrwg gennym nad ydym eto mewn sefyllfa i anfon ein hymateb terfynol atoch.

## Pam mae angen mwy o amser arnom

{{{{ reasons }}}}

Rydym yn disgwyl anfon ein hymateb terfynol atoch erbyn {{{{ expected_final_response_date }}}}, \
a byddwn yn rhoi gwybod i chi sut mae pethau'n mynd tan hynny.

{{% if fos_available %}}## Eich hawl i gyfeirio eich cwyn

Gan nad ydym wedi gallu anfon ein hymateb terfynol cyn pen wyth wythnos, gallwch nawr gyfeirio \
eich cwyn at Wasanaeth yr Ombwdsmon Ariannol, yn rhad ac am ddim, os ydych yn anfodlon.

{LEAFLET}

{FOS_CONTACT}
{{% else %}}## Gwasanaeth yr Ombwdsmon Ariannol

{FOS_NOT_AVAILABLE_BLOCK}
{{% endif %}}
{SIGN_OFF}"""

HOLDING_PSD = f"""{GREETING}

Rydym yn ysgrifennu am eich cwyn, a ddaeth i law ar {{{{ received_date }}}} ({RECEIVED}). Mae \
amgylchiadau eithriadol y tu hwnt i'n rheolaeth yn golygu na allwn anfon ein hymateb terfynol \
atoch cyn pen 15 diwrnod busnes.

## Y rhesymau dros yr oedi

{{{{ reasons }}}}

## Pryd y byddwch yn cael ein hymateb terfynol

Byddwn yn anfon ein hymateb terfynol atoch erbyn {{{{ extended_final_response_due }}}} fan \
bellaf, sef 35 diwrnod busnes ar ôl i ni gael eich cwyn.

{{% if fos_available %}}Os nad ydych wedi cael ein hymateb terfynol erbyn hynny, gallwch \
gyfeirio eich cwyn at Wasanaeth yr Ombwdsmon Ariannol, yn rhad ac am ddim. Ei wefan yw \
www.financial-ombudsman.org.uk.
{{% else %}}{FOS_NOT_AVAILABLE_BLOCK}
{{% endif %}}
{SIGN_OFF}"""

PROGRESS_UPDATE = f"""{GREETING}

Rydym yn ysgrifennu i roi gwybod i chi am eich cwyn, a ddaeth i law ar {{{{ received_date }}}} \
({RECEIVED}). Rydym yn dal i ddelio â hi.

## Ble rydym arni

{{{{ reasons }}}}

{{% if expected_final_response_date %}}Rydym yn disgwyl anfon ein hymateb terfynol atoch erbyn \
{{{{ expected_final_response_date }}}}. {{% endif %}}Byddwn yn ysgrifennu atoch eto cyn gynted \
ag y bydd gennym ragor i'w ddweud. Os oes gennych gwestiynau yn y cyfamser, gallwch gysylltu \
â {{{{ handler_name }}}} yn {{{{ firm_complaints_email }}}}\
{{% if firm_complaints_phone %}} neu ar {{{{ firm_complaints_phone }}}}{{% endif %}}.

{SIGN_OFF}"""

_INVESTIGATED = f"""{GREETING}

Diolch am eich amynedd tra buom yn ymchwilio i'ch cwyn, a ddaeth i law ar \
{{{{ received_date }}}} ({RECEIVED})."""

FINAL_UPHELD = f"""{_INVESTIGATED}

## Ein penderfyniad

{{% if outcome_code == "partially_upheld" %}}Rydym yn cadarnhau rhan o'ch cwyn. Mae'n ddrwg \
gennym am yr hyn a aeth o'i le.{{% else %}}Rydym yn cadarnhau eich cwyn. Mae'n ddrwg gennym am \
yr hyn a aeth o'i le.{{% endif %}}

{{% if reasons %}}{{{{ reasons }}}}

{{% endif %}}{{% if redress_summary or redress_ledger %}}## Unioni pethau

{{% if redress_summary %}}{{{{ redress_summary }}}}

{{% endif %}}{{% if redress_ledger %}}{REDRESS_LEDGER}
{{% endif %}}{{% endif %}}{FINAL_FOS_BLOCK}
{SIGN_OFF}"""

FINAL_REDRESS = f"""{_INVESTIGATED}

## Ein penderfyniad

Rydym wedi penderfynu cynnig iawndal i chi, heb dderbyn ein bod wedi gwneud dim o'i le.

{{% if reasons %}}{{{{ reasons }}}}

{{% endif %}}## Ein cynnig

{{% if redress_summary %}}{{{{ redress_summary }}}}

{{% endif %}}{{% if redress_ledger %}}{REDRESS_LEDGER}
{{% elif not redress_summary %}}Byddwn yn ysgrifennu atoch ar wahân gyda manylion ein cynnig a \
sut y byddwn yn ei dalu.

{{% endif %}}I dderbyn ein cynnig, atebwch i {{{{ firm_complaints_email }}}} gan nodi eich \
cyfeirnod.

{FINAL_FOS_BLOCK}
{SIGN_OFF}"""

FINAL_REJECTED = f"""{_INVESTIGATED}

## Ein penderfyniad

Ar ôl ystyried yr holl dystiolaeth, nid ydym yn cadarnhau eich cwyn.

## Ein rhesymau

{{% if reasons %}}{{{{ reasons }}}}{{% else %}}Rydym wedi adolygu'r hyn a ddywedoch wrthym a'n \
cofnodion, ac nid ydym wedi canfod ein bod wedi gwneud camgymeriad na'ch trin yn annheg.\
{{% endif %}}

{FINAL_FOS_BLOCK}
{SIGN_OFF}"""

TIME_BARRED = f"""{GREETING}

Rydym yn ysgrifennu am eich cwyn, a ddaeth i law ar {{{{ received_date }}}} ({RECEIVED}), am \
ddigwyddiadau ar {{{{ event_date }}}}.

## Pam na allwn ystyried eich cwyn

Mae'r rheolau sy'n berthnasol i ni (DISP 1.8 yn Llawlyfr yr FCA) yn caniatáu i ni wrthod cwyn \
heb ystyried ei rhinweddau pan gaiff ei gwneud y tu allan i'r terfynau amser. Digwyddodd yr hyn \
rydych yn cwyno amdano fwy na chwe blynedd cyn i chi gwyno wrthym, ac fe wnaethoch gwyno fwy na \
thair blynedd ar ôl i chi ddod yn ymwybodol (neu pan ddylech yn rhesymol fod wedi dod yn \
ymwybodol) bod gennych achos i gwyno. Rydym felly yn gwrthod eich cwyn heb ystyried ei \
rhinweddau.

{{% if reasons %}}{{{{ reasons }}}}

{{% endif %}}{{% if fos_available %}}## Os ydych yn dal yn anfodlon

Y llythyr hwn yw ein hymateb terfynol.

{ANNEX_3R_TIME_BARRED_CY}

{PRESCRIBED_ENGLISH}

{ANNEX_3R_TIME_BARRED}

{LEAFLET}

{FOS_CONTACT}
{{% else %}}## Gwasanaeth yr Ombwdsmon Ariannol

Y llythyr hwn yw ein hymateb terfynol. {FOS_NOT_AVAILABLE_BLOCK}
{{% endif %}}
{SIGN_OFF}"""

FORWARDING_NOTICE = f"""{GREETING}

Rydym yn ysgrifennu am eich cwyn, a ddaeth i law ar {{{{ received_date }}}} ({RECEIVED}).

Ar ôl edrych arni, rydym o'r farn mai cwmni arall, {{{{ other_firm_name }}}}, sy'n gyfrifol am \
{{% if is_partial_forward %}}ran o'r {{% elif rest_forwarded %}}weddill yr {{% endif %}}hyn \
rydych yn cwyno amdano, oherwydd:

{{{{ reasons }}}}

{{% if is_partial_forward %}}Rydym felly wedi anfon rhan o'ch cwyn ymlaen atynt heddiw. \
{{% elif rest_forwarded %}}Rydym felly wedi anfon gweddill eich cwyn ymlaen atynt heddiw. \
{{% else %}}Rydym felly wedi anfon eich cwyn ymlaen atynt heddiw. {{% endif %}}Byddant yn ei \
thrin fel cwyn a wnaed yn uniongyrchol iddynt a byddant yn ymateb i chi.

## Eu manylion cyswllt

{{{{ other_firm_name }}}}
{{{{ other_firm_contact }}}}

{{% if is_partial_forward %}}## Gweddill eich cwyn

Byddwn yn parhau i ddelio â gweddill eich cwyn ein hunain. Nid y llythyr hwn yw ein hymateb \
terfynol ar weddill eich cwyn: byddwn yn anfon ein hymateb terfynol arno atoch erbyn \
{{{{ rest_response_due }}}}, neu, os na allwn, lythyr yn esbonio pam a phryd rydym yn disgwyl \
ei anfon. Bydd y llythyr hwnnw'n dweud wrthych beth y gallwch ei wneud os ydych yn dal yn \
anfodlon â'r ffordd rydym wedi delio â gweddill eich cwyn.

{{% endif %}}{{% if fos_available %}}## Os ydych yn dal yn anfodlon

{{% if is_partial_forward %}}Y llythyr hwn yw ein hymateb terfynol ar y rhan o'ch cwyn rydym \
wedi'i hanfon ymlaen. Os ydych yn dal yn anfodlon ag ef, gallwch nawr gyfeirio eich cwyn at \
Wasanaeth yr Ombwdsmon Ariannol i'r graddau y mae'n ymwneud â'r rhan honno. Mae gweddill yr \
adran hon yn ymwneud â'r rhan o'ch cwyn rydym wedi'i hanfon ymlaen.{{% else %}}Y llythyr hwn \
yw ein hymateb terfynol i'ch cwyn. Os ydych yn dal yn anfodlon ag ef, gallwch nawr gyfeirio \
eich cwyn at Wasanaeth yr Ombwdsmon Ariannol.{{% endif %}}

{ANNEX_3R_BLOCK}

{LEAFLET}

{FOS_CONTACT}
{{% else %}}## Gwasanaeth yr Ombwdsmon Ariannol

Y llythyr hwn yw ein hymateb terfynol {{% if is_partial_forward %}}ar y rhan o'ch cwyn rydym \
wedi'i hanfon ymlaen{{% else %}}i'ch cwyn{{% endif %}}. {FOS_NOT_AVAILABLE_BLOCK}
{{% endif %}}
{SIGN_OFF}"""

_FINAL_SUBJECT = "Ein hymateb terfynol i'ch cwyn ({{ reference }})"

SUBJECTS: dict[str, str] = {
    LetterType.ACKNOWLEDGEMENT: "Rydym wedi cael eich cwyn ({{ reference }})",
    LetterType.SUMMARY_RESOLUTION: "Mae eich cwyn wedi'i datrys ({{ reference }})",
    LetterType.HOLDING: "Y diweddaraf am eich cwyn ({{ reference }})",
    LetterType.HOLDING_PSD: "Y diweddaraf am eich cwyn ({{ reference }})",
    LetterType.PROGRESS_UPDATE: "Hynt eich cwyn ({{ reference }})",
    LetterType.FINAL_UPHELD: _FINAL_SUBJECT,
    LetterType.FINAL_REDRESS: _FINAL_SUBJECT,
    LetterType.FINAL_REJECTED: _FINAL_SUBJECT,
    LetterType.TIME_BARRED: _FINAL_SUBJECT,
    LetterType.FORWARDING_NOTICE: "Rydym wedi anfon eich cwyn ymlaen ({{ reference }})",
    **DPA_SUBJECTS_CY,
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
    **DPA_BODIES_CY,
}

SNIPPETS = {
    "Atodiad 3R: dim cydsyniad i hepgor (Cymraeg a'r Saesneg a ragnodir)": (
        ANNEX_3R_NO_CONSENT_BOTH
    ),
    "Atodiad 3R: cydsyniad i hepgor": ANNEX_3R_CONSENT,
    "Atodiad 3R: y tu allan i'r terfynau amser (Cymraeg a'r Saesneg a ragnodir)": (
        f"{ANNEX_3R_TIME_BARRED_CY}\n\n{PRESCRIBED_ENGLISH}\n\n{ANNEX_3R_TIME_BARRED}"
    ),
    "Taflen yr Ombwdsmon wedi'i hamgáu": LEAFLET,
    "Gwefan a manylion cyswllt yr Ombwdsmon": FOS_CONTACT,
    "Yr Ombwdsmon ddim ar gael (dim sefydliad yn y DU)": FOS_NOT_AVAILABLE,
    "Ni all yr Ombwdsmon ei hystyried (cyn i'r drefn ddechrau)": FOS_BEFORE_COMMENCEMENT,
    "Efallai na all yr Ombwdsmon ei hystyried (dyddiad anhysbys)": FOS_EVENT_DATE_UNKNOWN,
}
