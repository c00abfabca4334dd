"""Full-text search index for evidence items, per database.

PostgreSQL: a stored generated ``tsvector`` column with the ``dutch`` configuration (title weight A,
organisation and summary B, full and extracted text C) and a GIN index.
SQLite: an FTS5 table ``evidence_search`` (rowid = item id) holding the text stemmed by the
Snowball Dutch stemmer; ``paraat.evidence.search.search_index_update`` keeps it current.
See docs/adr/0010-evidence-search.md.
"""

from django.db import migrations

PG_FORWARD = [
    """
    ALTER TABLE evidence_evidenceitem ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('dutch'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('dutch'::regconfig,
               coalesce(organisation, '') || ' ' || coalesce(summary, '')), 'B')
        || setweight(to_tsvector('dutch'::regconfig,
               left(coalesce(full_text, '') || ' ' || coalesce(extracted_text, ''), 400000)), 'C')
    ) STORED
    """,
    "CREATE INDEX evidence_item_search_gin ON evidence_evidenceitem USING gin (search_vector)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS evidence_item_search_gin",
    "ALTER TABLE evidence_evidenceitem DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS evidence_search USING fts5("
    "title, summary, body, tokenize = 'unicode61 remove_diacritics 2')"
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS evidence_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
