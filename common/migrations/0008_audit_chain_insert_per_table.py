from django.db import migrations


def install_chain_functions(apps, schema_editor):
    """Each chained table's insert trigger runs a function of its own holding the hashing SQL
    written once (common.chain_insert; issue 18: writing and planning that SQL cost about 2 ms
    a statement). Same text, same hashes: old links verify unchanged."""
    from common.chain_sql import install_chains

    install_chains(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0007_audit_chain_dates_as_json"),
    ]

    operations = [
        migrations.RunPython(install_chain_functions, migrations.RunPython.noop),
    ]
