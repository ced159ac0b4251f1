"""Fixtures for the Django apps' tests: settings for tests, the cast, signed-in clients of each role."""

from magnet.apps.common.fixtures import *  # noqa: F403
