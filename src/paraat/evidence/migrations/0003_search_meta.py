"""SQLite: the FTS5 table gains a ``meta`` column of attribute tokens (confidentiality, type,
knowledge class, certainty, year, synthetic flag, linked measures, domains and groups), so that
visibility and facet filters are applied inside the full-text index. See ADR 0010.
The index is rebuilt with ``paraat evidence reindex``; this migration rebuilds it too.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "DROP TABLE IF EXISTS evidence_search",
    "CREATE VIRTUAL TABLE evidence_search USING fts5("
    "title, summary, body, meta, tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS evidence_search",
    "CREATE VIRTUAL TABLE evidence_search USING fts5("
    "title, summary, body, tokenize = 'unicode61 remove_diacritics 2')",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in SQLITE_FORWARD:
        schema_editor.execute(statement)
    from paraat.evidence.search import index_rows

    item_model = apps.get_model("evidence", "EvidenceItem")
    link_model = apps.get_model("evidence", "EvidenceLink")
    ids = list(item_model.objects.filter(merged_into__isnull=True).values_list("pk", flat=True))
    with schema_editor.connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            cursor.executemany(
                "INSERT INTO evidence_search (rowid, title, summary, body, meta) "
                "VALUES (%s, %s, %s, %s, %s)",
                index_rows(item_model, link_model, ids[start : start + 500]),
            )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in SQLITE_BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0002_search_index")]

    operations = [migrations.RunPython(forward, backward)]
