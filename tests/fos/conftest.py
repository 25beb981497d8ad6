from datetime import date

import pytest

from tests.factories import london
from tests.fos.helpers import drive, log, responded_complaint


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2 costs ~1.5 s per test user on this machine; the hash strength is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def upheld_view(firm, handler):
    """A referral whose investigator's view upheld the complaint (its response date is one of
    the firm's FOS deadlines)."""
    c = responded_complaint(firm=firm, actor=handler, received=london(2027, 11, 1, 10))
    referral = log(c, handler, referred_on=date(2028, 1, 10))
    return drive(
        referral, ["start_investigation", "issue_view"], start=date(2028, 1, 10), actor=handler
    )
