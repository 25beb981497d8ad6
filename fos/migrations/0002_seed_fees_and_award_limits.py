"""Seed FOS case fees (disp-rules.md §4.2) and award limits (§4.3). Both are editable data:
unverified figures carry confirmed/verified = False and a note saying why."""

from django.db import migrations

from fos.seed import FEES, LIMITS, seed_reference_data


def seed(apps, schema_editor):
    seed_reference_data(
        apps.get_model("fos", "FosFeeSchedule"), apps.get_model("fos", "FosAwardLimit")
    )


def unseed(apps, schema_editor):
    apps.get_model("fos", "FosFeeSchedule").objects.filter(
        financial_year__in=[f[0] for f in FEES]
    ).delete()
    apps.get_model("fos", "FosAwardLimit").objects.filter(
        effective_from__in=[row[0] for row in LIMITS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("fos", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
