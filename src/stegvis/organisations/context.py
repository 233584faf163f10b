def tenant(request):
    """Template context: the current organiser and access, when inside one."""
    return {
        "organizer": getattr(request, "organizer", None),
        "access": getattr(request, "access", None),
    }
