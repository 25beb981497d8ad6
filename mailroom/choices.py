from django.db import models


class Security(models.TextChoices):
    SSL = "ssl", "TLS from the start (IMAPS, usually port 993)"
    STARTTLS = "starttls", "STARTTLS (usually port 143)"
    NONE = "none", "None (only for a server on this machine or a private network)"


class Kind(models.TextChoices):
    """What an inbound message is, decided once when it is imported."""

    NEW = "new", "New message"
    REPLY = "reply", "Reply on a complaint"
    AUTO_REPLY = "auto_reply", "Automatic reply"
    BOUNCE = "bounce", "Bounce (delivery failure)"
    UNREADABLE = "unreadable", "Could not be read"


class State(models.TextChoices):
    UNFILED = "unfiled", "Unfiled"
    FILED = "filed", "Filed on a complaint"
    SET_ASIDE = "set_aside", "Set aside"
