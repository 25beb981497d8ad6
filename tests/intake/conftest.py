import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads are stored until their job ends: keep them out of the worktree."""
    settings.MEDIA_ROOT = tmp_path / "media"
