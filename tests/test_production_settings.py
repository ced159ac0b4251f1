"""With MAGNET_ENV=production, unsafe settings refuse to start and `check --deploy` is clean (CF-1)."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    dropped = ("DATABASE_URL", "SECRET_KEY", "MAGNET_", "DEBUG", "DJANGO_")
    base = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    return subprocess.run([sys.executable, "-m", "magnet", *args], cwd=REPO, env={**base, **env},
                          capture_output=True, text=True, timeout=120)


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def _production(tmp_path) -> dict[str, str]:
    return {
        "MAGNET_ENV": "production",
        "MAGNET_DATA_DIR": str(tmp_path),
        "SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
        "ALLOWED_HOSTS": "talent.example.gov.cn",
        "MAGNET_FIELD_KEYS": f"k2026:{_key()}",
        "MAGNET_INDEX_KEY": _key(),
        "DATABASE_URL": "postgres://magnet@db.internal:5432/magnet?sslmode=verify-full",
        "MAGNET_SMS_BACKEND": "city_gateway.sms.Backend",
    }


@pytest.mark.slow
def test_production_check_deploy_is_clean(tmp_path):
    result = _run(_production(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("unset, message", [
    ("SECRET_KEY", "SECRET_KEY"),
    ("ALLOWED_HOSTS", "ALLOWED_HOSTS"),
    ("MAGNET_FIELD_KEYS", "MAGNET_FIELD_KEYS"),
    ("MAGNET_INDEX_KEY", "MAGNET_INDEX_KEY"),
    ("DATABASE_URL", "PostgreSQL"),
])
def test_production_refuses_to_start_without_safe_settings(tmp_path, unset, message):
    env = _production(tmp_path)
    env.pop(unset)
    result = _run(env, "check")
    assert result.returncode != 0
    assert "Unsafe settings for production" in result.stderr and message in result.stderr


@pytest.mark.slow
def test_production_refuses_debug_and_the_demo_sms_backend(tmp_path):
    env = {**_production(tmp_path), "DEBUG": "true", "MAGNET_SMS_BACKEND": "magnet.apps.accounts.sms.ConsoleBackend"}
    result = _run(env, "check")
    assert "DEBUG must be off" in result.stderr and "MAGNET_SMS_BACKEND" in result.stderr
