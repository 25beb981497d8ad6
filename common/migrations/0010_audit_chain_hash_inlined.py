from django.db import migrations


def install_chain_functions(apps, schema_editor):
    """``audit_chain_hash`` declared STABLE, as its body is, so the planner inlines it, a jsonb
    column read without a copy by ``to_jsonb``, and the links' and heads' keys compared
    bytewise (collation "C": their text indexes are rebuilt once) (issue 18). Same text, same
    hashes: old links verify unchanged; the insert trigger functions are written again."""
    from common.chain_sql import install_chains

    install_chains(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0009_chain_link_layout_unconstrained"),
    ]

    operations = [
        migrations.RunPython(install_chain_functions, migrations.RunPython.noop),
    ]
