"""Seed the system default templates (the standard wording in ``letters.defaults``)
as version 1 for every letter type. A later change to the standard wording should add a new
system version in a new migration, so letters already sent keep pointing at the words they used.
"""

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from letters.defaults import BODIES, SUBJECTS

    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    LetterTemplateVersion = apps.get_model("letters", "LetterTemplateVersion")
    now = timezone.now()
    for letter_type, body in BODIES.items():
        template, _ = LetterTemplate.objects.get_or_create(
            firm=None, letter_type=letter_type, defaults={"created_at": now}
        )
        if not LetterTemplateVersion.objects.filter(template=template).exists():
            LetterTemplateVersion.objects.create(
                template=template,
                number=1,
                subject=SUBJECTS[letter_type],
                body=body,
                note="Standard wording",
                created_at=now,
            )


def unseed(apps, schema_editor):
    apps.get_model("letters", "LetterTemplate").objects.filter(firm=None).delete()


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
