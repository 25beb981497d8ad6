import django.db.models.deletion
from django.db import migrations, models


def install_chain_functions(apps, schema_editor):
    """The layout guard (``audit_layout_fixed``: a recorded layout is never changed or deleted)
    takes over from the links' foreign key to their layout, whose check at COMMIT cost about
    14 us a link (issue 18). Same text, same hashes: old links verify unchanged."""
    from common.chain_sql import install_chains

    install_chains(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0008_audit_chain_insert_per_table"),
    ]

    operations = [
        migrations.RunPython(install_chain_functions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="chainlink",
            name="layout",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="common.chainlayout",
            ),
        ),
    ]
