"""Slots: places on a lower room's page where a higher room shows what it knows, without the
lower room importing it (dependency inversion, like ``organisations.access.provide_assessor_groups``).

A higher room fills a slot in its ``AppConfig.ready``; the page that owns the slot calls ``fill``
(or the template tag ``{% slot "name" key=value %}``) and shows what the providers return, in
the order they were registered. A slot nobody filled shows nothing.

Slots in use (the page that owns it, what a provider is called with, what it returns):

  unit_page    maturity's unit page, under the heading: ``(*, request, unit)`` -> safe HTML or ""
  grid_units   overview's grid, after each unit's name: ``(*, request, organizer, round, unit_ids)``
               -> ``(marks, legend)``: ``{unit_id: safe HTML}`` and one safe HTML legend item or ""
  initiative_goals   development's initiative page, under the stated goals: ``(*, request, initiative)``
               -> safe HTML or "" (goals: the measurable goals the initiative serves)
  initiative_report  development's evaluation results page and board PDF: ``(*, request, initiative)``
               -> safe HTML or ""
"""

from django.utils.safestring import mark_safe

_providers = {}


def provide(name, provider):
    """Register ``provider`` for the slot ``name`` (once per process; a repeat is ignored)."""
    found = _providers.setdefault(name, [])
    if provider not in found:
        found.append(provider)


def providers(name):
    return list(_providers.get(name, ()))


def fill(name, **kwargs):
    """Every provider's answer for the slot, in order."""
    return [provider(**kwargs) for provider in providers(name)]


def render(name, **kwargs):
    """The slot's HTML answers joined (for slots whose providers return HTML)."""
    return mark_safe("".join(str(part) for part in fill(name, **kwargs) if part))
