"""The signals the organisations room sends, so that rooms above it stay current.

``unit_changed(unit=, fields=)`` is sent after a unit's district, school forms or active flag
changed (``fields`` names which). ``overview.readmodel`` listens and moves or rebuilds the
unit's cells; ``cycles.domain`` listens for the active flag (a unit deactivated leaves the open
rounds, one reactivated joins them).

``units_added(organizer=, unit_ids=, join_open_rounds=)`` is sent after units were created
(one by hand or many by an import). ``cycles.domain`` listens: when ``join_open_rounds`` is
true (the default of ``create_unit`` and ``import_units``) the active ones join every open round.

Nothing else should hang logic on them.
"""

from django.dispatch import Signal

unit_changed = Signal()
units_added = Signal()
