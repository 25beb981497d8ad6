"""The firm's choice for an unknown event date (CP26/4 para 3.24; issue #14 item 5).

The Ombudsman may consider only acts or omissions on or after the regime began, so when the
handler records that the event date is unknown, the firm chooses what its letters say: offer
the Ombudsman, or say it may not be able to consider the complaint. A firm administrator makes
that choice on the Letter set-up pages or through the API; nobody else may; each change is kept
in the firm's history with who made it.
"""

from __future__ import annotations

import pytest

from common.errors import PermissionDeniedError, ValidationFailed
from complaints import services
from complaints.choices import Outcome, UnknownEventDateWording
from complaints.errors import ErrorCode
from complaints.models import Firm
from letters import content, defaults
from letters.choices import LetterType
from letters.services import letter_create_draft
from tests.factories import FirmFactory, MembershipFactory
from tests.letters import scenarios as sc

pytestmark = pytest.mark.django_db

PAGE = "/letters/unknown-event-date/"
MAY_NOT = "The Financial Ombudsman Service may not be able to consider this complaint."
REFER = "You have the right to refer your complaint to the Financial Ombudsman Service"


@pytest.fixture
def admin(firm):
    return MembershipFactory(firm=firm, role="admin").user


def _draft_final_response_text(firm, handler) -> str:
    """A draft final response for a complaint whose event date the handler recorded as unknown."""
    c = sc.prepare(sc.scenario_named("final-rejected"), firm, handler, event_date_unknown=True)
    draft = letter_create_draft(
        complaint_id=c.pk,
        letter_type=LetterType.FINAL_REJECTED,
        actor=handler,
        now=sc.LATER,
        outcome=Outcome.NOT_UPHELD,
        reasons=sc.REASONS,
    )
    return " ".join(draft.body_text.split())


def _last_history(firm):
    return Firm.history.filter(id=firm.pk).order_by("-history_id").first()


def test_cp26_4_para_3_24_admin_chooses_unknown_event_date_wording_on_the_set_up_page(
    client, firm, admin, handler
):
    assert REFER in _draft_final_response_text(firm, handler)  # the default: offer the FOS
    client.force_login(admin)
    page = client.get(PAGE).content.decode()
    # Each choice shows what letters then say, in the letters' own words.
    assert MAY_NOT in page and REFER in page
    templates = client.get("/letters/templates/").content.decode()
    assert f'href="{PAGE}"' in templates

    bad = client.post(PAGE, {"wording": "say_nothing"})
    assert bad.status_code == 400 and "say_nothing" in bad.content.decode()
    done = client.post(PAGE, {"wording": UnknownEventDateWording.FOS_MAY_NOT})
    assert done.status_code == 302
    firm.refresh_from_db()
    assert firm.unknown_event_date_wording == UnknownEventDateWording.FOS_MAY_NOT
    entry = _last_history(firm)
    assert entry.history_user == admin
    assert entry.history_change_reason == "firm.unknown_event_date_wording"

    text = _draft_final_response_text(firm, handler)
    assert MAY_NOT in text and REFER not in text


def test_cp26_4_para_3_24_only_a_firm_administrator_chooses_the_unknown_date_wording(
    client, firm, handler
):
    client.force_login(handler)
    page = client.get(PAGE)  # any member reads what the letters will say
    assert page.status_code == 200 and 'name="wording"' not in page.content.decode()
    assert "(in use)" in page.content.decode()
    refused = client.post(PAGE, {"wording": UnknownEventDateWording.FOS_MAY_NOT})
    assert refused.status_code == 403
    with pytest.raises(PermissionDeniedError) as exc:
        services.firm_set_unknown_event_date_wording(
            firm_id=firm.pk, actor=handler, now=sc.LATER, wording="fos_may_not"
        )
    assert exc.value.code == ErrorCode.PERMISSION_DENIED
    firm.refresh_from_db()
    assert firm.unknown_event_date_wording == UnknownEventDateWording.OFFER_FOS


def test_cp26_4_para_3_24_service_refuses_a_wording_that_is_not_a_choice(firm, admin):
    with pytest.raises(ValidationFailed) as exc:
        services.firm_set_unknown_event_date_wording(
            firm_id=firm.pk, actor=admin, now=sc.LATER, wording="say_nothing"
        )
    assert "wording" in exc.value.fields and exc.value.rule == "CP26/4 para 3.24"


def test_cp26_4_para_3_24_api_reads_and_changes_the_unknown_date_wording(
    client, firm, admin, handler
):
    url = f"/api/firms/{firm.pk}/letter-settings/"
    client.force_login(handler)
    got = client.get(url)
    assert got.status_code == 200
    assert got.json()["unknown_event_date_wording"] == "offer_fos"
    assert {c["value"] for c in got.json()["unknown_event_date_wording_choices"]} == {
        "offer_fos",
        "fos_may_not",
    }
    body = {"unknown_event_date_wording": "fos_may_not"}
    denied = client.patch(url, body, content_type="application/json")
    assert denied.status_code == 403

    client.force_login(admin)
    bad = client.patch(url, {"unknown_event_date_wording": "x"}, content_type="application/json")
    assert bad.status_code == 400
    assert "unknown_event_date_wording" in bad.json()["fields"]
    other = FirmFactory().id  # type: ignore[attr-defined]
    assert client.get(f"/api/firms/{other}/letter-settings/").status_code == 404
    assert (
        client.patch(
            f"/api/firms/{other}/letter-settings/", body, content_type="application/json"
        ).status_code
        == 404
    )

    done = client.patch(url, body, content_type="application/json")
    assert done.status_code == 200 and done.json()["unknown_event_date_wording"] == "fos_may_not"
    assert _last_history(firm).history_user == admin
    text = _draft_final_response_text(firm, handler)
    assert MAY_NOT in text and REFER not in text


def test_set_up_page_sentences_are_the_letters_own_wording():
    """What the set-up page and the API show for each choice is the first sentence of the
    standard wording in letters/defaults.py, not a paraphrase."""
    says = content.UNKNOWN_EVENT_DATE_SAYS
    assert set(says) == set(UnknownEventDateWording.values)
    assert says[UnknownEventDateWording.FOS_MAY_NOT] in defaults.FOS_EVENT_DATE_UNKNOWN
    assert says[UnknownEventDateWording.OFFER_FOS] in defaults.ANNEX_3R_NO_CONSENT
    assert says[UnknownEventDateWording.FOS_MAY_NOT] == MAY_NOT
