"""Full-text search of the library in Swedish, on PostgreSQL and on SQLite (docs/library.md).

Both databases rank the same four fields with the same weights, title > tags > description >
the file's text, and both find a word by its stem, so "lärplattor" finds "lärplatta":

- PostgreSQL: ``Example.search``, a stored ``tsvector`` built with the ``'swedish'``
  configuration (``setweight`` A, B, C, D) and a GIN index (migration 0001, ``operations.SearchIndex``);
  queried with ``to_tsquery('swedish', ...)`` and ranked with ``ts_rank``.
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

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
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


def _vector():
    return (
        SearchVector("title", weight="A", config="swedish")
        + SearchVector("tags_text", weight="B", config="swedish")
        + SearchVector("description", weight="C", config="swedish")
        + SearchVector(
            Coalesce(
                Subquery(ExampleText.objects.with_scopes_disabled().filter(example=OuterRef("pk")).values("text")[:1]),
                Value(""),
                output_field=TextField(),
            ),
            weight="D",
            config="swedish",
        )
    )


def reindex(example_ids):
    """Bring the search index of these examples up to date with their rows.

    Side effects: PostgreSQL: updates ``Example.search``; SQLite: replaces their FTS5 rows.
    """
    ids = list(example_ids)
    if not ids:
        return
    rows = Example.across.filter(pk__in=ids)
    if is_postgres():
        rows.update(search=_vector())
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
        # the words as typed: to_tsquery stems them with the 'swedish' dictionary itself
        query = SearchQuery(" & ".join(f"{w}:*" for w in typed), search_type="raw", config="swedish")
        return (
            queryset.filter(search=query)
            .annotate(rank=SearchRank(F("search"), query))
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
