"""The one signal the planning room sends, so that read models above it stay current.

``plan_changed(unit=, round=)`` is sent after a unit's action plan for a round was created or
one of its actions changed (inside the same transaction). ``overview.readmodel`` listens and
rebuilds the unit's cells; nothing else should hang logic on it.
"""

from django.dispatch import Signal

plan_changed = Signal()
