"""State changes of the library: share, change and remove an example. Keyword-only, each
listing its side effects (docs/library.md)."""

from django.db import transaction
from django.utils import translation

from stegvis.core import schoolforms
from stegvis.core.models import record
from stegvis.core.uploads import check_upload

from . import extract, search
from .models import Example, ExampleText, Kind

FIELDS = ("kind", "title", "description", "url", "unit", "school_forms", "shared")


def tags_text(*, kind, school_forms, unit, indicators):
    """The tags of an example as the words search indexes (in Swedish, the index's language)."""
    with translation.override("sv"):
        parts = [str(Kind(kind).label), *schoolforms.labels(school_forms)]
    parts += [unit.name] if unit else []
    parts += [f"{i.code} {i.title_sv} {i.title_en}" for i in indicators]
    return " ".join(parts)


def share_example(
    *,
    organizer,
    by,
    title,
    kind=Kind.OTHER,
    description="",
    url="",
    upload=None,
    unit=None,
    school_forms=0,
    indicators=(),
    shared=False,
):
    """Share a document (``upload``) or a link (``url``) in the organiser's library.

    The upload is checked by content (``core.uploads.check_upload``: raises ``ValidationError``
    before anything is stored). Its text is read for search (``extract``, bounded).
    Side effects: an Example row (and an ExampleText with the file's text), its indicator tags, the file under MEDIA_ROOT, the search
    index (``search.reindex``), an audit event. On any failure nothing stays: the row is rolled
    back and a file already written is deleted.
    """
    indicators = list(indicators)
    example = Example(
        organizer=organizer,
        created_by=by,
        title=title,
        kind=kind,
        description=description,
        url=url if upload is None else "",
        unit=unit,
        school_forms=school_forms,
        shared=shared,
        tags_text=tags_text(kind=kind, school_forms=school_forms, unit=unit, indicators=indicators),
    )
    text = ""
    if upload is not None:
        checked = check_upload(upload)
        text = extract.text_of(upload, kind_key=checked.key)
        example.filename = _plain_name(upload.name)
        example.content_type = checked.content_type
        example.size = upload.size
    try:
        with transaction.atomic():
            if upload is not None:
                example.file.save(upload.name, upload, save=False)
            example.save()
            if text:
                ExampleText.objects.create(example=example, organizer=organizer, text=text)
            example.indicators.set(indicators)
            search.reindex([example.pk])
            record(organizer=organizer, actor=by, verb="library.shared", obj=example, summary=example.title)
    except BaseException:
        if example.file:
            example.file.storage.delete(example.file.name)
        raise
    return example


def change_example(*, example, by, indicators=None, **values):
    """Change an example's title, description, kind, link, unit, school forms, indicators or
    whether it is shared with every organiser. The file stays (to share another, remove and
    share anew).

    Side effects: updates the row (and its tags), the search index, an audit event naming the
    fields. Nothing when nothing changed.
    """
    values = {k: v for k, v in values.items() if k in FIELDS}
    if example.file:
        values.pop("url", None)
    changed = [f for f in FIELDS if f in values and getattr(example, f) != values[f]]
    old_indicators = set(example.indicators.values_list("pk", flat=True))
    new_indicators = None if indicators is None else list(indicators)
    if new_indicators is not None and {i.pk for i in new_indicators} != old_indicators:
        changed.append("indicators")
    if not changed:
        return example
    for field in changed:
        if field != "indicators":
            setattr(example, field, values[field])
    with transaction.atomic():
        if new_indicators is not None:
            example.indicators.set(new_indicators)
        example.tags_text = tags_text(
            kind=example.kind,
            school_forms=example.school_forms,
            unit=example.unit,
            indicators=example.indicators.all(),
        )
        example.save()
        search.reindex([example.pk])
        record(organizer=example.organizer, actor=by, verb="library.changed", obj=example, summary=", ".join(changed))
    return example


def remove_example(*, example, by):
    """Remove an example from the library.

    Side effects: deletes the row, its search entry and (once committed) its file; an audit event.
    """
    name, storage = example.file.name, example.file.storage
    with transaction.atomic():
        record(organizer=example.organizer, actor=by, verb="library.removed", obj=example, summary=example.title)
        search.forget([example.pk])
        example.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


def _plain_name(name):
    """The uploaded name without folders, as it is offered back on download."""
    return (name or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
