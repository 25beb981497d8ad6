from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from mailroom.choices import Security
from mailroom.services import MailboxData, mailbox_save

from .servers import Dovecot, Smtp, free_port

# One Dovecot and one SMTP server for the whole session, on one xdist worker.
pytestmark = pytest.mark.xdist_group("mailroom")

USER, PASSWORD = "complaints", "imap-secret-1"


@pytest.fixture(scope="session")
def dovecot():
    # Not under pytest's temporary folder: its parents are private to the suite's user, and
    # Dovecot runs as another user when the suite runs as root.
    root = Path(tempfile.mkdtemp(prefix="mailroom-dovecot-"))
    server = Dovecot(root, free_port(), {USER: PASSWORD})
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def smtp_server():
    server = Smtp(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server, settings):
    """Django sends through the real SMTP server; its list starts empty."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp_server.port},
        }
    }
    smtp_server.received.clear()
    return smtp_server


@pytest.fixture
def inbox(dovecot):
    """The complaints mailbox, emptied for the test."""
    dovecot.clear(USER)
    return dovecot


@pytest.fixture
def mailbox(firm, inbox):
    return mailbox_save(
        firm=firm,
        actor=None,
        data=MailboxData(
            host="127.0.0.1",
            port=inbox.port,
            security=Security.NONE,
            username=USER,
            folder="INBOX",
            address="complaints@firm.test",
            password=PASSWORD,
        ),
    )
