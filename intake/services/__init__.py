"""Register import: each row of an existing complaints register becomes a complaint through the
same services as the UI and the API, replayed at its historical dates (``replay``), after the
checks across its columns (``checks``), one file at a time (``batches``)."""

from .batches import import_commit, import_file, import_preview, previously_committed

__all__ = ["import_commit", "import_file", "import_preview", "previously_committed"]
