"""A chain link's row found by its object and row through the chain's own index, and the index
on (table, row) dropped (issue 18).

Every link was an entry in ``chain_link_row``: about 1.8 us of the server's CPU a link, 49,000
links a 10,000-row register import. Its readers each know the row's object too: the verifier's
check that every row has a link, a retention rewrite's lookup of the layout a row was chained
with, and the backfill of a newly chained table; they now name it, and read
``uniq_chain_link_seq`` (table, object, seq) instead. The functions are written again first.
"""

from django.db import migrations


def install_chain_functions(apps, schema_editor):
    from common.chain_sql import install_chains

    install_chains(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("common", "0012_outbox_key_without_pattern_index")]

    operations = [
        migrations.RunPython(install_chain_functions, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="chainlink", name="chain_link_row"),
    ]
