"""Cross-cutting tests use the apps' fixtures (settings for tests, the cast, signed-in clients)."""

from magnet.apps.common.fixtures import *  # noqa: F403
