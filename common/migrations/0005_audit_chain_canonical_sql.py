from django.db import migrations


def install_chain_functions(apps, schema_editor):
    """The chain's functions with the canonical content written by one generated expression per
    layout (no sort per row; issue 18). Same text, same hashes: old links verify unchanged."""
    from common.chain_sql import install_chains

    install_chains(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0004_audit_chain"),
    ]

    operations = [
        migrations.RunPython(install_chain_functions, migrations.RunPython.noop),
    ]
