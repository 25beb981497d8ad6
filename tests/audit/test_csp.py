"""Content-Security-Policy (issue 15 item 7): Django's own header on every page, and no inline
script, event handler or style left in the templates for it to block."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = [
    p for p in ROOT.iterdir() if (p / "apps.py").exists() or p.name == "templates" and p.is_dir()
]

# Self-contained documents never served under the page policy: the letter layout (its <style> is
# allowed by hash, see SECURE_CSP) and the PDF / case-file exports rendered from HTML.
DOCUMENT_TEMPLATES = {
    "letters/templates/letters/document.html",
    "audit/templates/audit/complaint_audit_pdf.html",
    "fos/templates/fos/export/_style.html",
}

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)
STYLE_ATTR = re.compile(r"<[^>]*\sstyle\s*=", re.I)


def _templates():
    for folder in APP_DIRS:
        for path in folder.rglob("*.html"):
            if "templates" in path.parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_the_scan_sees_the_templates():
    names = {name for name, _ in _templates()}
    assert "templates/base.html" in names
    assert "letters/templates/letters/template_edit.html" in names


def test_no_template_has_inline_script_event_handler_or_style():
    """Every script is a static file (<script src=...>) and every style is in a stylesheet, so
    the policy can forbid inline code altogether."""
    found = []
    for name, text in _templates():
        for attrs, body in SCRIPT_TAG.findall(text):
            if "src=" not in attrs or body.strip():
                found.append(f"{name}: inline <script>")
        found += [f"{name}: {m.group(1)}= handler" for m in EVENT_HANDLER.finditer(text)]
        found += [f"{name}: javascript: URL" for _ in JAVASCRIPT_URL.finditer(text)]
        if name not in DOCUMENT_TEMPLATES:
            found += [f"{name}: style= attribute" for _ in STYLE_ATTR.finditer(text)]
            if "<style" in text:
                found.append(f"{name}: <style> block")
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/password_reset/", "/no-such-page/"]
)
def test_responses_carry_the_content_security_policy(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    # Nothing from another origin: no CDN.
    assert "http" not in policy


def test_the_letter_layouts_style_block_is_the_only_inline_style_allowed(settings):
    from config.settings import _style_block_hashes

    style_src = settings.SECURE_CSP["style-src"]
    assert style_src[1:] == _style_block_hashes("letters/templates/letters/document.html")
    assert len(style_src) == 2


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("large_print", [False, True])
def test_every_rendered_letter_style_block_matches_the_allowed_hash(
    settings, language, large_print
):
    """The policy allows the letter layout's <style> by the hash of the template's text, so the
    block must render to that same text in every variant (language, large print): a template tag
    inside it would make the letter preview's styles blocked in the browser."""
    import base64
    import hashlib
    from datetime import date

    from letters.rendering import document_html
    from tests.factories import FirmFactory

    html = document_html(
        firm=FirmFactory.build(),
        subject="Subject",
        body_text="Body",
        letter_date=date(2028, 1, 3),
        reference="REF-1",
        recipient_name="Jo Bloggs",
        recipient_address="1 High Street",
        language=language,
        large_print=large_print,
    )
    (block,) = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in settings.SECURE_CSP["style-src"]
