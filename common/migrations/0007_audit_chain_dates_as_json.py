from django.db import migrations


def install_chain_functions(apps, schema_editor):
    """The canonical content writes a date or time column by to_json of the value instead of
    through its jsonb (issue 18: the register import's history rows hold 26 of them). Same
    text, same hashes: old links verify unchanged."""
    from common.chain_sql import install_chains

    install_chains(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0006_audit_chain_typed_columns"),
    ]

    operations = [
        migrations.RunPython(install_chain_functions, migrations.RunPython.noop),
    ]
