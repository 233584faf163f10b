"""The one signal the organisations room sends, so that read models above it stay current.

``unit_changed(unit=, fields=)`` is sent after a unit's district, school forms or active flag
changed (``fields`` names which). ``overview.readmodel`` listens and moves or rebuilds the
unit's cells; nothing else should hang logic on it.
"""

from django.dispatch import Signal

unit_changed = Signal()
