"""The library of good examples at 10,000 documents (issue 11: a search answers in <= 100 ms).

``generate`` writes ``DOCUMENTS`` examples with realistic Swedish text (titles, descriptions and
a few hundred words of "extracted" text per document, built from sentences about plans,
policies and lessons with the words in their inflected forms), most in the largest organiser,
the rest in the others with a third shared with every organiser; tags on indicators, school
forms and units; then the search index (``library.search.reindex_all``). Deterministic.

``searches`` measures the library page's server time (median, signed-in member) for a common
word, a rare word, an inflected form, two words, a search with filters, and the list without a
search, with the number of matches and of queries.
"""

import random
import time

from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from bench.measure import _admin_client, _median
from stegvis.cycles.models import Round
from stegvis.frameworks.models import Indicator
from stegvis.library import search
from stegvis.library.domain import tags_text
from stegvis.library.models import Example, ExampleText, Kind
from stegvis.organisations.models import Membership, Organizer, Role, Unit

DOCUMENTS = 10_000
OWN_SHARE = 0.7  # of the documents, the largest organiser's own
TITLE_PREFIX = "Exempel"

NOUNS = [
    ("lärplatta", "lärplattan", "lärplattor", "lärplattorna"),
    ("dator", "datorn", "datorer", "datorerna"),
    ("Chromebook", "Chromebooken", "Chromebooks", "Chromebooksen"),
    ("digitaliseringsplan", "digitaliseringsplanen", "digitaliseringsplaner", "digitaliseringsplanerna"),
    ("användarpolicy", "användarpolicyn", "användarpolicyer", "användarpolicyerna"),
    ("lärplattform", "lärplattformen", "lärplattformar", "lärplattformarna"),
    ("skärm", "skärmen", "skärmar", "skärmarna"),
    ("robot", "roboten", "robotar", "robotarna"),
    ("nätverk", "nätverket", "nätverk", "nätverken"),
    ("lösenord", "lösenordet", "lösenord", "lösenorden"),
    ("app", "appen", "appar", "apparna"),
    ("handlingsplan", "handlingsplanen", "handlingsplaner", "handlingsplanerna"),
    ("enkät", "enkäten", "enkäter", "enkäterna"),
    ("fortbildning", "fortbildningen", "fortbildningar", "fortbildningarna"),
    ("lektion", "lektionen", "lektioner", "lektionerna"),
    ("vårdnadshavare", "vårdnadshavaren", "vårdnadshavare", "vårdnadshavarna"),
    ("elev", "eleven", "elever", "eleverna"),
    ("pedagog", "pedagogen", "pedagoger", "pedagogerna"),
    ("rektor", "rektorn", "rektorer", "rektorerna"),
    ("arbetslag", "arbetslaget", "arbetslag", "arbetslagen"),
]
TOPICS = [
    "programmering",
    "källkritik",
    "digital kompetens",
    "upphovsrätt",
    "personuppgifter",
    "informationssäkerhet",
    "skärmtid",
    "formativ bedömning",
    "digitala nationella prov",
    "tillgänglighet",
    "AI i undervisningen",
    "näthat",
    "dokumentation i förskolan",
    "lärande för hållbar utveckling",
    "film och bild",
    "podcast",
    "kodning med micro:bit",
    "digitalt berättande",
]
RARE = ["fotosyntes", "vikingatiden", "stjärnhimlen", "Pythagoras", "fjällvärlden", "medeltiden"]
VERBS = ["använder", "provar", "utvärderar", "inför", "planerar", "följer upp", "dokumenterar", "delar"]
PLACES = ["i förskoleklass", "i årskurs 4", "på gymnasiet", "i förskolan", "på fritids", "i vuxenutbildningen"]
SENTENCES = [
    "Vi {verb} {noun_pl} {place} för att stärka arbetet med {topic}.",
    "{Noun_def} ska finnas tillgänglig för alla {pupils} och hanteras enligt skolans rutiner.",
    "Rektorn ansvarar för att {noun_pl_def} fungerar och att personalen får fortbildning om {topic}.",
    "Under läsåret {verb} arbetslaget {noun_def} och utvärderar resultatet i en enkät.",
    "Eleverna arbetar med {topic} och redovisar med hjälp av {noun_pl}.",
    "En {noun} per elev {place} har gjort att undervisningen i {topic} blivit mer varierad.",
    "IKT-pedagogen stöttar kollegorna när de {verb} {noun_pl_def} i undervisningen.",
    "Vårdnadshavarna informeras om hur skolan {verb} {noun_pl} och om {topic}.",
    "Planen följs upp två gånger per termin och revideras inför nästa läsår.",
    "Målet är att alla {pupils} ska utveckla sin förmåga att använda {noun_pl} kritiskt och ansvarsfullt.",
]
TITLES = {
    Kind.PLAN: ["Digitaliseringsplan för {unit} {year}", "Lokal handlingsplan för {topic}", "Plan för {noun_pl}"],
    Kind.POLICY: ["Användarpolicy för {noun_pl}", "Riktlinjer för {topic}", "Policy för {noun_def} {place}"],
    Kind.LESSON: ["Lektionsidé: {topic} {place}", "Så arbetar vi med {topic}", "{Topic} med {noun_pl}"],
    Kind.ROUTINE: ["Rutin för {noun_pl_def}", "Checklista: {topic}", "Rutin när {noun_def} krånglar"],
    Kind.OTHER: ["Erfarenheter av {topic}", "Presentation om {noun_pl}", "Reflektioner kring {topic}"],
}


def _fill(template, rng, unit="skolan"):
    noun = rng.choice(NOUNS)
    topic = rng.choice(TOPICS)
    values = {
        "noun": noun[0],
        "noun_def": noun[1],
        "Noun_def": noun[1][:1].upper() + noun[1][1:],
        "noun_pl": noun[2],
        "noun_pl_def": noun[3],
        "topic": topic,
        "Topic": topic[:1].upper() + topic[1:],
        "verb": rng.choice(VERBS),
        "place": rng.choice(PLACES),
        "pupils": rng.choice(["elever", "barn", "studerande"]),
        "unit": unit,
        "year": rng.choice(["2024", "2025", "2026/27"]),
    }
    return template.format(**values)


def _body(rng, words):
    out, count = [], 0
    while count < words:
        sentence = _fill(rng.choice(SENTENCES), rng)
        if rng.random() < 0.01:
            sentence += f" Vi knöt an till {rng.choice(RARE)}."
        out.append(sentence)
        count += len(sentence.split())
    return " ".join(out)


def is_generated(documents=DOCUMENTS):
    with scopes_disabled():
        return Example.across.filter(title__startswith=TITLE_PREFIX).count() == documents


def generate(*, documents=DOCUMENTS, seed=11, out=print):
    """Write ``documents`` examples and index them. Returns the seconds it took to index."""
    rng = random.Random(seed)
    with scopes_disabled():
        Example.across.filter(title__startswith=TITLE_PREFIX).delete()
        organisers = list(Organizer.objects.filter(slug__startswith="bench-").order_by("slug"))
        biggest, others = organisers[0], organisers[1:] or organisers[:1]
        units = {o.pk: list(Unit.objects.filter(organizer=o).values_list("pk", "name")) for o in organisers}
        users = {
            o.pk: Membership.objects.filter(organizer=o, role=Role.ADMIN).values_list("user_id", flat=True).first()
            for o in organisers
        }
        frameworks = Round.objects.filter(organizer=biggest).values("framework_id")
        indicators = list(Indicator.objects.filter(framework_id__in=frameworks))
        kinds = list(Kind)
        now = timezone.now()
        rows, tags, texts = [], [], []
        for n in range(documents):
            org = biggest if rng.random() < OWN_SHARE else rng.choice(others)
            unit = rng.choice(units[org.pk]) if units[org.pk] and rng.random() < 0.7 else None
            kind = rng.choice(kinds)
            chosen = rng.sample(indicators, k=min(len(indicators), rng.choice([0, 1, 2, 3])))
            forms = rng.choice([1, 2, 3, 4, 2, 2, 1, 0])
            title = f"{TITLE_PREFIX} {n + 1}: " + _fill(
                rng.choice(TITLES[kind]), rng, unit=unit[1] if unit else "skolan"
            )
            rows.append(
                Example(
                    organizer=org,
                    kind=kind,
                    title=title[:200],
                    description=" ".join(_fill(rng.choice(SENTENCES), rng) for _ in range(rng.randint(1, 3))),
                    url="" if rng.random() < 0.8 else f"https://example.se/exempel/{n}",
                    filename=f"exempel-{n}.pdf",
                    content_type="application/pdf",
                    size=rng.randint(40_000, 4_000_000),
                    unit_id=unit[0] if unit else None,
                    school_forms=forms,
                    shared=org is not biggest and rng.random() < 0.34,
                    created_by_id=users[org.pk],
                    created_at=now,
                    tags_text=tags_text(
                        kind=kind,
                        school_forms=forms,
                        unit=Unit(name=unit[1]) if unit else None,
                        indicators=chosen,
                    ),
                )
            )
            tags.append(chosen)
            texts.append(_body(rng, rng.randint(150, 900)))
        with transaction.atomic():
            made = Example.across.bulk_create(rows, batch_size=500)
            ExampleText.objects.bulk_create(
                [ExampleText(example=e, organizer_id=e.organizer_id, text=t) for e, t in zip(made, texts, strict=True)],
                batch_size=500,
            )
            through = Example.indicators.through
            through.objects.bulk_create(
                [
                    through(example_id=e.pk, indicator_id=i.pk)
                    for e, chosen in zip(made, tags, strict=True)
                    for i in chosen
                ],
                batch_size=2000,
            )
        out(f"  {documents} library documents written; indexing...")
        started = time.perf_counter()
        search.reindex_all()
        if connection.vendor == "postgresql":
            # what autovacuum does soon after such a bulk write: the statistics, and the dead rows
            # of the index update gone (VACUUM cannot run inside a transaction, as in the tests)
            with connection.cursor() as cursor:
                cursor.execute(f"{'' if connection.in_atomic_block else 'VACUUM '}ANALYZE library_example")
        return time.perf_counter() - started


def _matches(organizer, params, *, first_page=False):
    """How many examples the page found (its own filter and search, outside the request);
    with ``first_page`` also the ids of its first page, as the page reads them."""
    from django_scopes import scope

    from stegvis.library.forms import LibraryFilter
    from stegvis.library.views import filtered, visible_examples
    from stegvis.organisations.access import Access

    with scopes_disabled():
        admin = Membership.objects.filter(organizer=organizer, role=Role.ADMIN).first().user
    with scope(organizer=organizer):
        access = Access.for_user(user=admin, organizer=organizer)
        form = LibraryFilter(params or None, organizer=organizer)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        with search.by_index(data.get("q")):  # as the page reads them
            ids = filtered(visible_examples(access), data, organizer=organizer).values_list("pk", flat=True)
            count = ids.count()
            if first_page:
                list(ids[:25])
        return count


SEARCHES = [
    ("common word", {"q": "elever"}),
    ("inflected form", {"q": "lärplattor"}),
    ("two words", {"q": "användarpolicy lösenord"}),
    ("rare word", {"q": "vikingatiden"}),
    ("word and filters", {"q": "programmering", "kind": "lesson", "school_form": "grundskola"}),
    ("list, no search", {}),
]


def searches(organizer, *, repeat=15, documents=DOCUMENTS):
    """The library page for each of ``SEARCHES``: server time (median), matches, queries."""
    index_seconds = None
    if not is_generated(documents):
        index_seconds = generate(documents=documents)
    client = _admin_client(organizer)
    url = f"/{organizer.slug}/library/"
    with scopes_disabled():
        visible = (
            Example.across.filter(organizer=organizer).count()
            + Example.across.filter(shared=True).exclude(organizer=organizer).count()
        )
        total = Example.across.count()
    results = {"documents": total, "visible": visible, "index_seconds": index_seconds, "searches": {}}
    for name, params in SEARCHES:
        response = client.get(url, params)
        assert response.status_code == 200, (name, response.status_code)
        seconds = _median(lambda p=params: client.get(url, p), repeat)
        executed = []

        def count(execute, sql, sql_params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, sql_params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url, params)
        matches = _matches(organizer, params)
        query_seconds = _median(lambda p=params: _matches(organizer, p, first_page=True), repeat)
        results["searches"][name] = {
            "seconds": seconds,
            "query_seconds": query_seconds,
            "queries": len(executed),
            "matches": matches,
            "params": params,
        }
    return results
