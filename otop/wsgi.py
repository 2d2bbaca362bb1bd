"""WSGI entry point for gunicorn."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from otop.env import SettingError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otop.settings")

try:
    application = get_wsgi_application()
except SettingError as error:
    print(f"Configuration error: {error}", file=sys.stderr)
    raise SystemExit(2) from None
