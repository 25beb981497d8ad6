import pytest

from tests.factories import MembershipFactory


@pytest.fixture
def officer(firm):
    """Prepares returns (and could approve others' work)."""
    return MembershipFactory(firm=firm, role="reporting_officer").user


@pytest.fixture
def approver(firm):
    return MembershipFactory(firm=firm, role="supervisor").user


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Rejected imports keep their error lists as files: keep them out of the worktree."""
    settings.MEDIA_ROOT = tmp_path / "media"
