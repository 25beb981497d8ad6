from django.db import migrations


def install_chain_functions(apps, schema_editor):
    """The canonical content's pieces joined by || paired as a balanced tree, not concat() per
    90 columns, and a boolean written as one of three literals (issue 18, stop 30: 6-13% of
    hashing a row). Same text, same hashes: old links verify unchanged; the insert trigger
    functions are written again."""
    from common.chain_sql import install_chains

    install_chains(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0010_audit_chain_hash_inlined"),
    ]

    operations = [
        migrations.RunPython(install_chain_functions, migrations.RunPython.noop),
    ]
