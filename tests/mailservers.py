"""Real mail servers for the mailroom and browser tests: Dovecot (IMAP) and aiosmtpd (SMTP).

Dovecot runs as an unprivileged process (when the suite runs as root it drops to the
``dovecot`` system user) on a free port with a generated configuration: passwd-file
authentication, maildir in a temporary folder, no TLS (loopback only). Messages are placed by
IMAP APPEND with the arrival time (INTERNALDATE) the test chooses. aiosmtpd listens on another
free port and keeps every message it is given.
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Dovecot:
    root: Path
    port: int
    users: dict[str, str]
    process: subprocess.Popen | None = None

    def start(self) -> None:
        account = pwd.getpwnam("dovecot") if os.getuid() == 0 else pwd.getpwuid(os.getuid())
        self.root.chmod(0o755)
        (self.root / "run").mkdir(parents=True)
        (self.root / "home").mkdir()
        (self.root / "dovecot.conf").write_text(
            CONFIG.format(
                root=self.root,
                port=self.port,
                user=account.pw_name,
                group=account.pw_name,
                uid=account.pw_uid,
            )
        )
        (self.root / "passwd").write_text(
            "".join(
                f"{name}:{{PLAIN}}{password}:{account.pw_uid}:{account.pw_gid}::"
                f"{self.root}/home/{name}\n"
                for name, password in self.users.items()
            )
        )
        command = [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")]
        if os.getuid() == 0:
            for path in [self.root, *self.root.rglob("*")]:
                os.chown(path, account.pw_uid, account.pw_gid)
            command = [
                "setpriv",
                f"--reuid={account.pw_uid}",
                f"--regid={account.pw_gid}",
                "--clear-groups",
                *command,
            ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        log = self.root / "dovecot.log"
        errors = self.process.stderr.read().decode() if self.process.stderr else ""
        raise RuntimeError(
            f"Dovecot did not start: {errors} {log.read_text() if log.exists() else ''}"
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def connect(self, user: str) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port)
        conn.login(user, self.users[user])
        return conn

    def append(self, user: str, raw: bytes, *, arrived: datetime, folder: str = "INBOX") -> None:
        """Place a message as the server received it at ``arrived`` (its INTERNALDATE)."""
        conn = self.connect(user)
        try:
            typ, data = conn.append(folder, None, imaplib.Time2Internaldate(arrived), raw)
            assert typ == "OK", data
        finally:
            conn.logout()

    def clear(self, user: str, folder: str = "INBOX") -> None:
        conn = self.connect(user)
        try:
            conn.select(folder)
            typ, data = conn.uid("SEARCH", "ALL")
            if data[0]:
                conn.uid("STORE", b",".join(data[0].split()).decode(), "+FLAGS", "(\\Deleted)")
                conn.expunge()
        finally:
            conn.logout()


class _Keep:
    def __init__(self, sink: list[EmailMessage]) -> None:
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.sink.append(message)  # type: ignore[arg-type]
        return "250 OK"


@dataclass
class Smtp:
    port: int
    received: list[EmailMessage] = field(default_factory=list)
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(_Keep(self.received), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()


def message(
    *,
    sender: str,
    subject: str,
    body: str = "Hello.",
    message_id: str,
    to: str = "complaints@firm.test",
    headers: dict[str, str] | None = None,
    attachment: tuple[str, str, bytes] | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    msg["Date"] = "Mon, 2 Nov 2026 09:00:00 +0000"
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    if attachment:
        name, ctype, data = attachment
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


# The fixtures, imported by tests/mailroom/conftest.py and tests/e2e/conftest.py: whichever xdist
# group a test is in, its worker starts one Dovecot and one SMTP server when a test first asks.
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
    from mailroom.choices import Security
    from mailroom.services import MailboxData, mailbox_save

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
