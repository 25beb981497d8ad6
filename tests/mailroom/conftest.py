"""The mail servers' fixtures live in tests/mailservers.py (the browser tests use them too)."""

import pytest

from tests.mailservers import (  # noqa: F401  (fixtures)
    PASSWORD,
    USER,
    dovecot,
    inbox,
    mailbox,
    smtp,
    smtp_server,
)

# One Dovecot and one SMTP server for the whole session, on one xdist worker.
pytestmark = pytest.mark.xdist_group("mailroom")
