import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")

from stegvis.core.wsgi import application as _application

# The full middleware chain, and a short one for the survey answer pages (core/wsgi.py).
application = _application()
