"""Full-text search of the library in Swedish, on PostgreSQL and on SQLite (docs/library.md).

Both databases rank title > tags > description > the file's text, and both find a word by its
stem, so "lärplattor" finds "lärplatta":

- PostgreSQL: ``Example.search``, a stored ``tsvector`` of all four fields built with the
  ``'swedish'`` configuration (``setweight`` A, B, C, D) and a GIN index (migration 0001,
  ``operations.SearchIndex``; no pending list, migration 0002), queried with
  ``to_tsquery('swedish', ...)``; the matches are ranked with ``ts_rank`` on
  ``Example.search_head``, the same vector without the file's text (A, B, C: small enough to
  stay in the row), so hits in the file's text alone come last, newest first. ``by_index``
  makes the planner match through the GIN index (see there).
- SQLite: an FTS5 table ``library_example_fts`` (rowid = the example's id) holding the same
  fields already stemmed by the Snowball Swedish stemmer (``snowballstemmer``, the algorithm
  PostgreSQL's 'swedish' configuration uses); the query is stemmed the same way and ranked with
  ``bm25`` weighted 10, 5, 2, 1.

Each query word must occur (AND), as a prefix of a stem, so a half-typed word finds too.
``reindex`` keeps the index in step; the domain functions call it after every save, and
``forget`` on delete. ``reindex_all`` rebuilds it (after a restore that left the index behind).
"""

import functools
import re
from contextlib import contextmanager

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce

from .models import Example, ExampleText
from .operations import FTS_TABLE

WEIGHTS = (10.0, 5.0, 2.0, 1.0)  # title, tags, description, text (bm25 column weights)
MAX_QUERY_WORDS = 8
_WORD = re.compile(r"\w+")
_stemmer = snowballstemmer.stemmer("swedish")


def words(text):
    """The words of a text, lower-cased (letters and digits, Swedish letters included)."""
    return _WORD.findall((text or "").lower().replace("_", " "))


@functools.lru_cache(maxsize=200_000)
def stem(word):
    return _stemmer.stemWord(word)


def stems(text):
    return [stem(w) for w in words(text)]


def stemmed(text):
    return " ".join(stems(text))


def is_postgres():
    return connection.vendor == "postgresql"


# -- keeping the index ------------------------------------------------------------------------


def _head_vector():
    """Title, tags and description (A, B, C): what the matches are ranked by."""
    return (
        SearchVector("title", weight="A", config="swedish")
        + SearchVector("tags_text", weight="B", config="swedish")
        + SearchVector("description", weight="C", config="swedish")
    )


def _vector():
    """The head and the file's text (D): what is matched."""
    return _head_vector() + SearchVector(
        Coalesce(
            Subquery(ExampleText.objects.with_scopes_disabled().filter(example=OuterRef("pk")).values("text")[:1]),
            Value(""),
            output_field=TextField(),
        ),
        weight="D",
        config="swedish",
    )


def reindex(example_ids):
    """Bring the search index of these examples up to date with their rows.

    Side effects: PostgreSQL: updates ``Example.search`` and ``search_head``; SQLite: replaces their FTS5 rows.
    """
    ids = list(example_ids)
    if not ids:
        return
    rows = Example.across.filter(pk__in=ids)
    if is_postgres():
        rows.update(search=_vector(), search_head=_head_vector())
        return
    values = rows.values_list("pk", "title", "tags_text", "description", "body__text")
    with connection.cursor() as cursor:
        _delete(cursor, ids)
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, tags, description, body) VALUES (%s, %s, %s, %s, %s)",
            [(pk, stemmed(t), stemmed(g), stemmed(d), stemmed(b or "")) for pk, t, g, d, b in values],
        )


def forget(example_ids):
    """Side effects: SQLite: deletes the examples' FTS5 rows (PostgreSQL's go with the row)."""
    ids = list(example_ids)
    if ids and not is_postgres():
        with connection.cursor() as cursor:
            _delete(cursor, ids)


def _delete(cursor, ids):
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk)


def reindex_all(*, batch=500):
    """Rebuild the whole index (every organiser). Returns the number of examples indexed.

    Side effects: as ``reindex``; on SQLite the FTS5 table is emptied first.
    """
    if not is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    ids = list(Example.across.values_list("pk", flat=True).order_by("pk"))
    for start in range(0, len(ids), batch):
        reindex(ids[start : start + batch])
    return len(ids)


# -- searching ----------------------------------------------------------------------------------


def search(queryset, text):
    """``queryset`` narrowed to the examples matching ``text`` (every word, by its stem) and
    ordered best first. Text without a word leaves the queryset as it is."""
    typed = words(text)[:MAX_QUERY_WORDS]
    if not typed:
        return queryset
    if is_postgres():
        # the words as typed: to_tsquery stems them with the 'swedish' dictionary itself. Every
        # word must occur (&); the rank counts each word found in the head (|), so a title with
        # one of two words still ranks above a match in the file's text alone.
        match = SearchQuery(" & ".join(f"{w}:*" for w in typed), search_type="raw", config="swedish")
        rank = SearchQuery(" | ".join(f"{w}:*" for w in typed), search_type="raw", config="swedish")
        # the match in a subquery of its own, on ``search`` alone: under ``by_index`` it is read
        # from the GIN index, and the outer query, which filters and ranks, never reads the
        # large vector (``search_head`` is in the row)
        matching = Example.across.filter(search=match).values("pk")
        return (
            queryset.filter(pk__in=matching)
            .annotate(rank=SearchRank(F("search_head"), rank))
            .order_by("-rank", "-created_at", "-id")
        )
    match = " ".join('"' + stem(w).replace('"', "") + '"*' for w in typed)
    table = Example._meta.db_table
    # FTS5 is a virtual table Django has no model for: a join through extra() is the one way to
    # rank inside the same query as the ORM's filters (SQLite walks the FTS match first).
    return queryset.extra(
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = {table}.id", f"{FTS_TABLE} MATCH %s"],
        params=[match],
        select={"rank": f"bm25({FTS_TABLE}, {', '.join(str(w) for w in WEIGHTS)})"},
        order_by=["rank", "-created_at", "-id"],
    )


@contextmanager
def by_index(text):
    """Around the queries of a search (count and page): on PostgreSQL, with words to search
    for, the match is read from the GIN index.

    The planner prices ``search @@ query`` on a row at next to nothing, not knowing that each
    row's vector (the file's text, kilobytes) is read out of TOAST and decompressed; so it
    would scan the table, or walk the organiser's index, and match row by row (75-200 ms at
    10,000 documents). With sequential and plain index scans off, for this transaction only,
    the subquery of ``search`` can only be a bitmap scan of the GIN index, whose answer needs
    no recheck (prefix words without weights), so no vector is read; the outer query still
    takes the organiser's indexes through bitmap scans.

    Side effects: PostgreSQL: a transaction with the two settings (``SET LOCAL``, one query),
    which end with it; inside a transaction already (a savepoint), put back at the end.
    """
    if not (is_postgres() and words(text)):
        yield
        return
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)")
        yield
        if nested:  # a released savepoint keeps SET LOCAL until the transaction ends
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
            cursor.execute("SET LOCAL enable_indexscan TO DEFAULT")
