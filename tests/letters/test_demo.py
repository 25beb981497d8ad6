import pytest
from django.core.management import call_command

from letters.choices import LetterStatus, LetterType
from letters.models import Letter

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
    count = Letter.objects.count()
    call_command("load_demo_data", verbosity=0)
    assert Letter.objects.count() == count
