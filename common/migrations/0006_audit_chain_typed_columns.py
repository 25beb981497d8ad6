from django.db import migrations


def install_chain_functions(apps, schema_editor):
    """The insert trigger reads each chained row column by column, by type, instead of building
    the row's jsonb (issue 18). Same text, same hashes: old links verify unchanged."""
    from common.chain_sql import install_chains

    install_chains(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0005_audit_chain_canonical_sql"),
    ]

    operations = [
        migrations.RunPython(install_chain_functions, migrations.RunPython.noop),
    ]
