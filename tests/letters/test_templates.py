"""Templates: per firm, versioned, sandboxed, edited only by an administrator."""

import pytest

from common.errors import PermissionDeniedError, ValidationFailed
from complaints import services
from letters import content, defaults
from letters.choices import LetterType
from letters.errors import LetterErrorCode
from letters.models import ImmutableRecordError, Letter, LetterTemplateVersion
from letters.rendering import render_template_text, template_errors
from letters.services import letter_create_draft, letter_template_save
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 4, 2, 10)


def _save(firm, admin, body, subject="Received ({{ reference }})"):
    return letter_template_save(
        firm_id=firm.pk,
        letter_type=LetterType.ACKNOWLEDGEMENT,
        actor=admin,
        now=NOW,
        subject=subject,
        body=body,
    )


def test_system_defaults_are_seeded_for_every_type():
    seeded = set(
        LetterTemplateVersion.objects.filter(template__firm=None).values_list(
            "template__letter_type", flat=True
        )
    )
    assert seeded == set(LetterType.values)


def test_an_edit_creates_a_new_version_and_letters_keep_theirs(firm, handler, admin_user):
    _, standard = defaults.default_template(LetterType.ACKNOWLEDGEMENT)
    v1 = _save(firm, admin_user, standard)
    c1 = make_complaint(firm=firm, received_at=NOW, actor=handler)
    services.complaint_acknowledge(complaint_id=c1.pk, actor=handler, now=NOW)
    v2 = _save(firm, admin_user, standard + "\n\nWe value your custom.")
    c2 = make_complaint(firm=firm, received_at=NOW, actor=handler)
    services.complaint_acknowledge(complaint_id=c2.pk, actor=handler, now=NOW)
    assert (v1.number, v2.number) == (1, 2)
    first, second = Letter.objects.get(complaint=c1), Letter.objects.get(complaint=c2)
    assert first.template_version == v1 and second.template_version == v2
    assert "We value your custom." not in first.html
    assert "We value your custom." in second.html
    assert content.current_version(firm, LetterType.ACKNOWLEDGEMENT, now=NOW) == v2


def test_a_version_is_immutable(firm, admin_user):
    v1 = _save(firm, admin_user, "Dear {{ complainant_name }}")
    v1.body = "changed"
    with pytest.raises(ImmutableRecordError):
        v1.save()


def test_a_firm_without_its_own_template_uses_the_system_default(firm, handler, scottish_firm):
    c = make_complaint(firm=firm, received_at=NOW, actor=handler)
    letter = letter_create_draft(
        complaint_id=c.pk, letter_type=LetterType.ACKNOWLEDGEMENT, actor=handler, now=NOW
    )
    assert letter.template_version.template.firm_id is None


def test_only_an_administrator_edits_templates(firm, handler, supervisor):
    for user in (handler, supervisor):
        with pytest.raises(PermissionDeniedError):
            _save(firm, user, "Dear {{ complainant_name }}")


def test_merge_fields_render_dates_in_uk_format(firm, handler):
    c = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), actor=handler)
    letter = letter_create_draft(
        complaint_id=c.pk, letter_type=LetterType.ACKNOWLEDGEMENT, actor=handler, now=NOW
    )
    assert "reached us on Thu 2 Apr 2026" in letter.body_text
    assert "that is by Thu 28 May 2026" in letter.body_text  # E17: 8 weeks
    assert c.reference in letter.subject


@pytest.mark.parametrize(
    "body,problem",
    [
        ("{% load static %}x", "Template error"),
        ("{% include 'base.html' %}", "Template error"),
        ("{% debug %}", "Template error"),
        ("{{ complaint.firm.memberships }}", "Unknown merge field: complaint"),
        ("{{ settings.SECRET_KEY }}", "Unknown merge field: settings"),
        ("{% if request %}x{% endif %}", "Unknown merge field: request"),
        ("{{ reasons.__class__ }}", "Template error"),
        ("{% if x %}", "Template error"),
    ],
)
def test_templates_are_sandboxed(firm, admin_user, body, problem):
    assert any(problem in e for e in template_errors(body))
    with pytest.raises(ValidationFailed) as exc:
        _save(firm, admin_user, body)
    assert exc.value.code == LetterErrorCode.TEMPLATE_INVALID
    assert "body" in exc.value.fields


def test_loops_and_filters_on_merge_fields_are_allowed():
    source = "{% for w in reasons.split %}{{ w|upper }} {% endfor %}{{ reference|default:'-' }}"
    assert template_errors(source) == []
    assert render_template_text(source, {"reasons": "a b", "reference": ""}) == "A B -"


def test_merge_values_cannot_inject_html(firm, handler):
    c = make_complaint(firm=firm, received_at=NOW, actor=handler)
    letter = letter_create_draft(
        complaint_id=c.pk,
        letter_type=LetterType.FINAL_REJECTED,
        actor=handler,
        now=NOW,
        outcome="not_upheld",
        reasons="<script>alert(1)</script> & more",
    )
    html = content.letter_document(letter, letter_date=NOW, draft=False)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
