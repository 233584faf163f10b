"""The calendar: the organiser's year wheel (årshjul), own events and iCal feeds (docs/calendar.md)."""
