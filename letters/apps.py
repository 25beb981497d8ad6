from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"
    label = "letters"
    verbose_name = "DISP letters"

    def ready(self) -> None:
        import logging

        from django.db.models.signals import post_migrate

        from common.chain_sql import ChainedTable, register_chained_table

        from . import leaflets  # noqa: F401 - registers the letters.W001 system check
        from .choices import LetterStatus
        from .models import Letter

        # Every sent letter joins its complaint's chain, and cannot be deleted (docs/audit.md).
        register_chained_table(
            ChainedTable(
                Letter._meta.db_table,
                object_column=Letter._meta.get_field("complaint").column,
                row_column="id",
                when=("status", LetterStatus.SENT.value),
            )
        )

        # WeasyPrint logs every layout step at INFO; the root logger here is INFO.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
        post_migrate.connect(_seed_system_templates, sender=self)


def _seed_system_templates(sender, **kwargs) -> None:
    """After every migrate or flush, the system default of every letter type exists and its
    latest version carries the standard wording (a new version when the wording changed; a
    firm's own templates and versions are never touched)."""
    from django.utils import timezone

    from complaints.choices import LetterLanguage

    from .choices import LetterType
    from .content import ensure_system_template
    from .defaults import has_welsh

    now = timezone.now()
    for letter_type in LetterType.values:
        ensure_system_template(letter_type, now=now)
        if has_welsh(letter_type):
            ensure_system_template(letter_type, now=now, language=LetterLanguage.WELSH)
