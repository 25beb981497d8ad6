"""What evidence is, where it came from, and whether it is still on the case."""

from django.db import models


class Kind(models.TextChoices):
    RECORDING = "recording", "Call recording"
    SCREENSHOT = "screenshot", "Screenshot"
    STATEMENT = "statement", "Statement"
    COMPLAINANT_DOCUMENT = "complainant_document", "Complainant's document"
    CORRESPONDENCE = "correspondence_attachment", "Correspondence attachment"
    CHAIN_LINK = "chain_explorer_link", "Chain-explorer link"
    OTHER = "other", "Other"


class Source(models.TextChoices):
    UPLOAD = "upload", "Uploaded"
    EMAIL = "email", "E-mail attachment"


class State(models.TextChoices):
    ON_FILE = "on_file", "On file"
    # Taken off the case by a handler (uploaded in error): listed as removed, left out of the
    # FOS case file, but the file stays until DISP 1.9 retention ends the complaint's record.
    REMOVED = "removed", "Removed from the case"
