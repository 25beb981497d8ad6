import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from letters.choices import LetterStatus, LetterType
from letters.models import FosLeaflet, Letter

pytestmark = pytest.mark.django_db


def test_demo_has_sent_letters_of_every_type_and_is_idempotent():
    call_command("load_demo_data", verbosity=0)
    sent = Letter.objects.filter(status=LetterStatus.SENT)
    assert set(sent.values_list("letter_type", flat=True)) == set(LetterType.values)
    assert sent.filter(fos_available=False).exists()  # CP26/4 para 3.29 statement
    assert sent.filter(includes_waiver_consent=True, includes_six_month_wording=False).exists()
    assert Letter.objects.filter(status=LetterStatus.AWAITING_APPROVAL).count() == 1
    assert all(letter.pdf_sha256 for letter in sent.only("pdf_sha256"))
    assert not any(letter.failed_checks for letter in sent.only("check_results", "status"))
    # DISP 1.6.2R(1)(d): each demo firm has a clearly labelled demonstration leaflet, and the
    # demo's final responses went with it.
    leaflets = list(FosLeaflet.objects.all())
    assert len(leaflets) == 2 and all("DEMONSTRATION ONLY" in x.label for x in leaflets)
    text = PdfReader(io.BytesIO(leaflets[0].read())).pages[0].extract_text()
    assert "not the Financial Ombudsman Service leaflet" in " ".join(text.split())
    finals = sent.filter(letter_type__in=LetterType.final_types())
    assert finals.exists() and not finals.filter(fos_leaflet=None, fos_available=True).exists()
    count = Letter.objects.count()
    call_command("load_demo_data", verbosity=0)
    assert Letter.objects.count() == count
    assert FosLeaflet.objects.count() == 2
