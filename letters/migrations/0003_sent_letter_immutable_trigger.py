"""PostgreSQL: refuse any UPDATE of a sent letter or of a template version, whatever the path
(ORM, admin, raw SQL). Deleting stays possible so that DISP 1.9 retention can remove a whole
complaint; the model and queryset refuse deleting sent letters on their own."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION letters_refuse_update_of_sent() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'sent' THEN
    RAISE EXCEPTION 'letter % was sent and is immutable', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER letters_letter_immutable BEFORE UPDATE ON letters_letter
  FOR EACH ROW EXECUTE FUNCTION letters_refuse_update_of_sent();

CREATE OR REPLACE FUNCTION letters_refuse_update_of_version() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'template version % is immutable: save a new version', OLD.id
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER letters_template_version_immutable BEFORE UPDATE ON letters_lettertemplateversion
  FOR EACH ROW EXECUTE FUNCTION letters_refuse_update_of_version();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS letters_letter_immutable ON letters_letter;
DROP FUNCTION IF EXISTS letters_refuse_update_of_sent();
DROP TRIGGER IF EXISTS letters_template_version_immutable ON letters_lettertemplateversion;
DROP FUNCTION IF EXISTS letters_refuse_update_of_version();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("letters", "0002_seed_system_templates")]

    operations = [migrations.RunPython(forward, backward)]
