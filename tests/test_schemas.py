"""Committed schemas stay current: the OpenAPI schema (docs/api/openapi.json) and the migrations.

Regenerate it with:
  uv run python -m magnet export_openapi_schema --api magnet.config.api.api --output docs/api/openapi.json --indent 2
"""

import json
from pathlib import Path

from magnet.config.api import api

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "api" / "openapi.json"


def test_committed_openapi_schema_is_current():
    current = json.loads(json.dumps(api.get_openapi_schema(), default=str))
    assert current == json.loads(COMMITTED.read_text(encoding="utf-8")), __doc__


def test_every_operation_but_health_requires_authentication():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if path.endswith("/health"):
                assert not operation.get("security"), path
            else:
                assert operation.get("security"), (method, path)


def test_models_and_migrations_agree(db):
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
