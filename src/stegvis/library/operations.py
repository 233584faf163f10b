"""The migration operations of the library's full-text index (search.py)."""

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


HEAD_VECTOR_SQL = (
    "setweight(to_tsvector('swedish'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('swedish'::regconfig, COALESCE(tags_text, '')), 'B') || "
    "setweight(to_tsvector('swedish'::regconfig, COALESCE(description, '')), 'C')"
)


class SearchHead(Operation):
    """PostgreSQL: fills ``library_example.search_head`` for the rows there are (what
    ``search.reindex`` writes from then on) and turns the GIN index's pending list off
    (``fastupdate = off``), emptying it: a search then reads the index alone, never a list of
    not yet merged entries, at the price of a slower write of an example (rare). SQLite: nothing
    (its FTS5 table is unchanged)."""

    reversible = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"UPDATE library_example SET search_head = {HEAD_VECTOR_SQL}")
            schema_editor.execute("ALTER INDEX library_example_search SET (fastupdate = off)")
            schema_editor.execute("SELECT gin_clean_pending_list('library_example_search'::regclass)")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("ALTER INDEX library_example_search RESET (fastupdate)")

    def describe(self):
        return "Fill the library's ranking vector and turn the GIN index's pending list off (PostgreSQL)"
