"""The Django project: settings, URL map, the one NinjaAPI, WSGI/ASGI entry points."""
