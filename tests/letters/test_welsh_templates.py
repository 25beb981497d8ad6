"""The firm's Welsh templates in the editor: listed beside the English, edited with the same
preview and checks, saved as versions of the Welsh template only."""

from __future__ import annotations

import pytest

from letters import content, defaults_cy
from letters.choices import LetterType
from tests.factories import MembershipFactory, london

pytestmark = pytest.mark.django_db

NOW = london(2026, 4, 2, 10)


@pytest.fixture
def admin(firm):
    return MembershipFactory(firm=firm, role="admin").user


def test_the_templates_page_lists_the_welsh_templates(client, admin):
    client.force_login(admin)
    page = client.get("/letters/templates/").content.decode()
    assert "Letters in Welsh" in page
    assert "/letters/templates/acknowledgement/?language=cy" in page
    assert "/letters/templates/forwarding_cover/?language=cy" not in page


def test_the_welsh_editor_shows_the_welsh_wording_and_the_review_notice(client, admin):
    client.force_login(admin)
    page = client.get("/letters/templates/final_rejected/?language=cy").content.decode()
    assert 'id="welsh-review"' in page
    assert "nid ydym yn cadarnhau eich cwyn" in page
    assert 'name="language" value="cy"' in page
    assert client.get("/letters/templates/forwarding_cover/?language=cy").status_code == 404


def test_saving_a_welsh_template_leaves_the_english_alone(client, admin, firm):
    client.force_login(admin)
    subject = defaults_cy.SUBJECTS[LetterType.ACKNOWLEDGEMENT]
    body = defaults_cy.BODIES[LetterType.ACKNOWLEDGEMENT].replace(
        "Diolch am gysylltu â ni.", "Diolch yn fawr am gysylltu â ni."
    )
    r = client.post(
        "/letters/templates/acknowledgement/?language=cy",
        {"subject": subject, "body": body, "note": "Cyfarchiad", "language": "cy"},
    )
    assert r.status_code == 302 and r["Location"].endswith("?language=cy")
    welsh = content.current_version(firm, LetterType.ACKNOWLEDGEMENT, now=NOW, language="cy")
    english = content.current_version(firm, LetterType.ACKNOWLEDGEMENT, now=NOW)
    assert welsh.template.firm_id == firm.pk and "Diolch yn fawr" in welsh.body
    assert english.template.firm_id is None


def test_the_welsh_preview_runs_the_checks_in_welsh(client, admin):
    client.force_login(admin)
    r = client.post(
        "/letters/templates/acknowledgement/preview/",
        {
            "subject": defaults_cy.SUBJECTS[LetterType.ACKNOWLEDGEMENT],
            "body": defaults_cy.BODIES[LetterType.ACKNOWLEDGEMENT],
            "language": "cy",
            "fos_available": "on",
        },
    )
    page = r.content.decode()
    assert r.status_code == 200
    assert "Annwyl" in page and "(missing)" not in page and 'class="pass"' in page
