import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from tests.factories import FirmFactory, MembershipFactory


@pytest.fixture
def firm(db):
    return FirmFactory(name="Northern Digital Assets Ltd", nation="england")


@pytest.fixture
def scottish_firm(db):
    return FirmFactory(name="Caledonian Crypto Ltd", nation="scotland")


@pytest.fixture
def handler(firm):
    return MembershipFactory(firm=firm, role="handler").user


@pytest.fixture
def supervisor(firm):
    return MembershipFactory(firm=firm, role="supervisor").user


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2 costs ~1.5 s per test user on this machine; password strength is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings, _media_dir):
    # Uploaded files (the firms' FOS leaflets) go to a temporary folder, not the checkout's.
    settings.MEDIA_ROOT = str(_media_dir)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """One SQLite demo database migrated from nothing per session (tests/sqlite_demo.py)."""
    from tests.sqlite_demo import migrate_fresh

    path = tmp_path_factory.mktemp("sqlite-demo") / "migrated.sqlite3"
    migrate_fresh(path)
    return path


@pytest.fixture
def live_db_for_wsgi():
    """The raw WSGI call would close the test transaction's connection at request end."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
