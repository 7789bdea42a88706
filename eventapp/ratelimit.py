"""Rate limits for sign-ins and secret-token lookups: in memory by default, in Redis when REDIS_URL is set
(so that several workers and servers share the counts)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from flask import current_app


class MemoryLimiter:
    """A sliding-window counter per key, for one process."""

    def __init__(self):
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, period: int) -> bool:
        now = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - period:
                hits.popleft()
            if len(hits) >= limit:
                return False
            hits.append(now)
            return True

    def count(self, key: str, period: int) -> int:
        now = time.monotonic()
        with self._lock:
            return sum(1 for t in self._hits.get(key, ()) if t > now - period)

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


class RedisLimiter:
    """A fixed-window counter per key in Redis, shared by every worker."""

    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def hit(self, key: str, limit: int, period: int) -> bool:
        window = int(time.time() // period)
        redis_key = f"eventapp:rl:{key}:{window}"
        pipe = self._redis.pipeline()
        pipe.incr(redis_key)
        pipe.expire(redis_key, period + 1)
        count, _ = pipe.execute()
        return int(count) <= limit

    def count(self, key: str, period: int) -> int:
        window = int(time.time() // period)
        return int(self._redis.get(f"eventapp:rl:{key}:{window}") or 0)

    def reset(self) -> None:
        for key in self._redis.scan_iter("eventapp:rl:*"):
            self._redis.delete(key)


def limiter():
    """The app's limiter, made on first use from REDIS_URL."""
    ext = current_app.extensions
    if "eventapp_limiter" not in ext:
        url = current_app.config.get("REDIS_URL")
        ext["eventapp_limiter"] = RedisLimiter(url) if url else MemoryLimiter()
    return ext["eventapp_limiter"]


def check_rate(bucket: str, key: str, limit: int, period_seconds: int) -> bool:
    """Count one attempt of ``key`` in ``bucket``; False when it exceeds ``limit`` per ``period_seconds``.

    Disabled (always True) when the app's RATELIMIT_ENABLED setting is False, as in most tests.
    """
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    try:
        return limiter().hit(f"{bucket}:{key}", limit, period_seconds)
    except Exception:  # Redis unreachable: fail open, but say so
        current_app.logger.warning("rate limiter unavailable; allowing %s", bucket, exc_info=True)
        return True


def over_limit(bucket: str, key: str, limit: int, period_seconds: int) -> bool:
    """True when ``key`` already used up ``limit`` in ``bucket`` this period (counts nothing itself)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return False
    try:
        return limiter().count(f"{bucket}:{key}", period_seconds) >= limit
    except Exception:
        current_app.logger.warning("rate limiter unavailable; allowing %s", bucket, exc_info=True)
        return False


#: Wrong secret links (RSVP, pass, speaker) one address may try per minute before every link lookup
#: from it is refused for a while. Only misses count: delegates sharing the venue's Wi-Fi address open
#: their own valid links as often as they like.
TOKEN_MISSES_PER_MINUTE = 30


def token_lookups_blocked(address: str) -> bool:
    """True when this address guessed too many wrong links in the last minute."""
    return over_limit("token-miss", address, TOKEN_MISSES_PER_MINUTE, 60)


def record_token_miss(address: str) -> None:
    """Count one lookup of a link that does not exist."""
    check_rate("token-miss", address, TOKEN_MISSES_PER_MINUTE, 60)
