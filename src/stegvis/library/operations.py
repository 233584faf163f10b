"""The migration operation that creates the library's full-text index (search.py)."""

from django.db.migrations.operations.base import Operation

FTS_TABLE = "library_example_fts"


class SearchIndex(Operation):
    """Creates the search index the database has: a GIN index on ``library_example.search``
    on PostgreSQL, the FTS5 table on SQLite. A schema operation only (no data)."""

    reversible = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute("CREATE INDEX library_example_search ON library_example USING gin (search)")
        elif vendor == "sqlite":
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, tags, description, body, "
                "tokenize = 'unicode61 remove_diacritics 0')"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute("DROP INDEX IF EXISTS library_example_search")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    def describe(self):
        return "Create the library's full-text index (GIN on PostgreSQL, FTS5 on SQLite)"
