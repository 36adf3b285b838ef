import os

from django.core.wsgi import get_wsgi_application

# Production unless the caller chose otherwise (scripts/serve_demo.sh serves the demo with
# config.settings.local: SQLite, console e-mail, DEBUG still off unless DJANGO_DEBUG=1).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()
