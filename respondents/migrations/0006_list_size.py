"""Keep ``ListSize`` (rows per list, and rows without a departure) with database triggers.

Every row write changes a list's size — the web form, the file import (COPY into a staging
table, then one INSERT … SELECT), arrivals, departures, the demo, fixtures — so the count is
kept where no write path can forget it. In PostgreSQL inserts and deletes are counted once
per statement from its transition table (an import of a million rows adds one grouped
upsert, not a million updates); a change of list or of departure is counted per row, and
only for the rows where it changed. SQLite (the embedded demo) has row triggers only.
Deletes only subtract from an existing row: when a whole list is deleted Django may drop
its size first, and nothing must bring it back. ``progress_rebuild`` recounts the sizes
(after a TRUNCATE, say).
"""

import django.db.models.deletion
from django.db import migrations, models

POSTGRES = """
CREATE OR REPLACE FUNCTION respondent_list_size_add() RETURNS trigger AS $$
BEGIN
    INSERT INTO respondents_listsize AS size (respondent_list_id, rows, current)
    SELECT respondent_list_id, count(*), count(*) FILTER (WHERE departed_on IS NULL)
    FROM new_rows GROUP BY respondent_list_id ORDER BY respondent_list_id
    ON CONFLICT (respondent_list_id) DO UPDATE
        SET rows = size.rows + EXCLUDED.rows, current = size.current + EXCLUDED.current;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION respondent_list_size_subtract() RETURNS trigger AS $$
BEGIN
    UPDATE respondents_listsize AS size
    SET rows = size.rows - gone.rows, current = size.current - gone.current
    FROM (
        SELECT respondent_list_id, count(*) AS rows,
               count(*) FILTER (WHERE departed_on IS NULL) AS current
        FROM old_rows GROUP BY respondent_list_id
    ) gone
    WHERE size.respondent_list_id = gone.respondent_list_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION respondent_list_size_move() RETURNS trigger AS $$
BEGIN
    UPDATE respondents_listsize
    SET rows = rows - 1, current = current - (OLD.departed_on IS NULL)::int
    WHERE respondent_list_id = OLD.respondent_list_id;
    INSERT INTO respondents_listsize AS size (respondent_list_id, rows, current)
    VALUES (NEW.respondent_list_id, 1, (NEW.departed_on IS NULL)::int)
    ON CONFLICT (respondent_list_id) DO UPDATE
        SET rows = size.rows + 1, current = size.current + EXCLUDED.current;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER respondent_list_size_insert
    AFTER INSERT ON respondents_respondent REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION respondent_list_size_add();

CREATE TRIGGER respondent_list_size_delete
    AFTER DELETE ON respondents_respondent REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION respondent_list_size_subtract();

CREATE TRIGGER respondent_list_size_update
    AFTER UPDATE OF respondent_list_id, departed_on ON respondents_respondent
    FOR EACH ROW
    WHEN (OLD.respondent_list_id IS DISTINCT FROM NEW.respondent_list_id
          OR (OLD.departed_on IS NULL) IS DISTINCT FROM (NEW.departed_on IS NULL))
    EXECUTE FUNCTION respondent_list_size_move();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS respondent_list_size_update ON respondents_respondent;
DROP TRIGGER IF EXISTS respondent_list_size_delete ON respondents_respondent;
DROP TRIGGER IF EXISTS respondent_list_size_insert ON respondents_respondent;
DROP FUNCTION IF EXISTS respondent_list_size_move();
DROP FUNCTION IF EXISTS respondent_list_size_subtract();
DROP FUNCTION IF EXISTS respondent_list_size_add();
"""

SQLITE = [
    """
    CREATE TRIGGER respondent_list_size_insert AFTER INSERT ON respondents_respondent
    BEGIN
        INSERT INTO respondents_listsize (respondent_list_id, rows, current)
        VALUES (NEW.respondent_list_id, 1, NEW.departed_on IS NULL)
        ON CONFLICT (respondent_list_id) DO UPDATE
            SET rows = rows + 1, current = current + excluded.current;
    END
    """,
    """
    CREATE TRIGGER respondent_list_size_delete AFTER DELETE ON respondents_respondent
    BEGIN
        UPDATE respondents_listsize
        SET rows = rows - 1, current = current - (OLD.departed_on IS NULL)
        WHERE respondent_list_id = OLD.respondent_list_id;
    END
    """,
    """
    CREATE TRIGGER respondent_list_size_update
    AFTER UPDATE OF respondent_list_id, departed_on ON respondents_respondent
    WHEN OLD.respondent_list_id IS NOT NEW.respondent_list_id
         OR (OLD.departed_on IS NULL) IS NOT (NEW.departed_on IS NULL)
    BEGIN
        UPDATE respondents_listsize
        SET rows = rows - 1, current = current - (OLD.departed_on IS NULL)
        WHERE respondent_list_id = OLD.respondent_list_id;
        INSERT INTO respondents_listsize (respondent_list_id, rows, current)
        VALUES (NEW.respondent_list_id, 1, NEW.departed_on IS NULL)
        ON CONFLICT (respondent_list_id) DO UPDATE
            SET rows = rows + 1, current = current + excluded.current;
    END
    """,
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS respondent_list_size_update",
    "DROP TRIGGER IF EXISTS respondent_list_size_delete",
    "DROP TRIGGER IF EXISTS respondent_list_size_insert",
]

BACKFILL = """
INSERT INTO respondents_listsize (respondent_list_id, rows, current)
SELECT respondent_list_id, count(*), count(*) FILTER (WHERE departed_on IS NULL)
FROM respondents_respondent GROUP BY respondent_list_id
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)
    else:
        return
    schema_editor.execute(BACKFILL, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("respondents", "0005_import_job_one_active_file_deleted"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListSize",
            fields=[
                (
                    "respondent_list",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="size",
                        serialize=False,
                        to="respondents.respondentlist",
                        verbose_name="respondent list",
                    ),
                ),
                ("rows", models.IntegerField(default=0)),
                ("current", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "list size",
                "verbose_name_plural": "list sizes",
            },
        ),
        migrations.RunPython(create, drop),
    ]
