"""Rate limits switched on for a test, in memory or in Redis (under a key prefix of the test's own)."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager, suppress

import pytest

from eventapp.ratelimit import limiter


def redis_url() -> str:
    """The Redis of the tests (REDIS_URL, else database 15 on this machine); the test is skipped without one."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        pytest.skip(f"no Redis at {url}")
    return url


@contextmanager
def limits_in(app, backend: str, **config):
    """RATELIMIT_ENABLED for the block, counting in ``backend`` ("memory", or "redis" under a prefix of the
    block's own), with ``config`` overriding settings."""
    saved = {key: app.config.get(key) for key in ("RATELIMIT_ENABLED", "REDIS_URL", "RATELIMIT_KEY_PREFIX", *config)}
    app.config.update({"RATELIMIT_ENABLED": True, "REDIS_URL": redis_url() if backend == "redis" else "",
                       "RATELIMIT_KEY_PREFIX": f"eventapp-test-{uuid.uuid4().hex[:8]}", **config})
    app.extensions.pop("eventapp_limiter", None)
    try:
        yield app
    finally:
        with app.app_context(), suppress(Exception):  # a test may have pointed REDIS_URL at nothing
            limiter().reset()
        app.extensions.pop("eventapp_limiter", None)
        app.config.update(saved)
