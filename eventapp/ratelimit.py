"""Counting attempts in a moving window (the ``limits`` library): in memory for one process, or in Redis when
REDIS_URL is set, so that every worker and server shares the counts. Both keep each attempt's time and count
those of the last ``period`` seconds; both forget a key once its attempts are older than that.

What is counted here is what goes wrong: secret links, passes and device tokens that do not exist (per client
address, and per kind of secret across every address), failed sign-ins (``eventapp.auth.throttle``). A correct
secret is never counted and never refused.
"""

from __future__ import annotations

import math
import time

from flask import current_app, request
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

#: How long a forgotten key may stay in memory before it is dropped, at most.
FORGET_EVERY = 60


class ForgetfulMemoryStorage(MemoryStorage):
    """limits' memory storage trims the expired attempts of a key but keeps the key (an empty list) forever, so
    a process that sees many addresses would grow without end. This one drops such keys, at most once a
    minute, when an attempt is counted."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._forgotten_at = time.monotonic()

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        acquired = super().acquire_entry(key, limit, expiry, amount)
        if time.monotonic() - self._forgotten_at > FORGET_EVERY:
            self.forget_expired()
        return acquired

    def forget_expired(self) -> None:
        """Drop every key whose attempts are all older than their window."""
        self._forgotten_at = time.monotonic()
        now = time.time()
        for key in list(self.events):
            with self.locks[key]:
                events = self.events.get(key)
                if events is not None and all(entry.expiry <= now for entry in events):
                    del self.events[key]
            if key not in self.events:
                self.locks.pop(key, None)

    def keys(self) -> set[str]:
        """The keys held (for tests and the operator's curiosity)."""
        return set(self.events) | set(self.storage)


class Limiter:
    """Attempts counted per key in a moving window, over one storage."""

    def __init__(self, storage: Storage):
        self.storage = storage
        self._window = MovingWindowRateLimiter(storage)

    def hit(self, limit: RateLimitItem, *key: str) -> bool:
        """Count one attempt; False (and nothing counted) when ``limit`` attempts are already in the window."""
        return self._window.hit(limit, *key)

    def count(self, limit: RateLimitItem, *key: str) -> int:
        """Attempts of ``key`` in the last ``limit`` window (at most ``limit.amount``)."""
        return limit.amount - self._window.get_window_stats(limit, *key).remaining

    def wait(self, limit: RateLimitItem, *key: str) -> int:
        """Seconds until ``key`` may make one more attempt under ``limit`` (0 when it may now)."""
        stats = self._window.get_window_stats(limit, *key)
        return 0 if stats.remaining else max(math.ceil(stats.reset_time - time.time()), 1)

    def clear(self, limit: RateLimitItem, *key: str) -> None:
        self._window.clear(limit, *key)

    def reset(self) -> None:
        """Forget every count (tests)."""
        self.storage.reset()


def limiter() -> Limiter:
    """The app's limiter, made on first use: Redis when REDIS_URL is set, else this process's memory."""
    extensions = current_app.extensions
    if "eventapp_limiter" not in extensions:
        url = current_app.config.get("REDIS_URL")
        prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "eventapp"
        storage = (RedisStorage(url, socket_timeout=1, socket_connect_timeout=1, key_prefix=prefix)
                   if url else ForgetfulMemoryStorage())
        extensions["eventapp_limiter"] = Limiter(storage)
    return extensions["eventapp_limiter"]


def enabled() -> bool:
    """RATELIMIT_ENABLED is False in the test app, except in the tests of these limits."""
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def unavailable(what: str) -> None:
    """Redis cannot be reached: requests go through uncounted, and the log says so."""
    current_app.logger.warning("rate limiter unavailable; not counting %s", what, exc_info=True)


def address() -> str:
    """The client's address as the app sees it (behind PROXY_COUNT trusted proxies, the forwarded one)."""
    return (request.remote_addr or "?")[:64]


# --- wrong secrets ------------------------------------------------------------------------------------

#: Wrong secrets (RSVP links, passes, speaker links, device tokens) one address may present per minute before
#: its further wrong ones are answered 429; delegates behind the venue's one Wi-Fi address open their own,
#: correct, links as often as they like.
WRONG_SECRETS_PER_ADDRESS = RateLimitItemPerSecond(30, 60)
#: Wrong secrets of one kind per minute from every address together (a guess spread over many addresses).
WRONG_SECRETS_PER_KIND = RateLimitItemPerSecond(600, 60)
SECRET_KINDS = ("rsvp", "pass", "paper", "device")


def wrong_secret(kind: str) -> int:
    """Count one secret of ``kind`` ("rsvp", "pass", "paper", "device") that matched nothing, from this request's
    address; return how many seconds this address (or everyone, for this kind) should wait before trying
    another, 0 when it need not. Only misses are counted: call it after the lookup failed, never before."""
    assert kind in SECRET_KINDS, kind
    if not enabled():
        return 0
    where = address()
    try:
        counter = limiter()
        by_address = counter.hit(WRONG_SECRETS_PER_ADDRESS, "wrong-secret", where)
        by_kind = counter.hit(WRONG_SECRETS_PER_KIND, "wrong-secret-kind", kind)
        if by_address and by_kind:
            return 0
        waits = [counter.wait(WRONG_SECRETS_PER_ADDRESS, "wrong-secret", where) if not by_address else 0,
                 counter.wait(WRONG_SECRETS_PER_KIND, "wrong-secret-kind", kind) if not by_kind else 0]
    except Exception:  # Redis unreachable: answer as if under the limits
        unavailable("wrong secrets")
        return 0
    current_app.logger.warning("wrong %s secrets guessed too fast (from %s%s)", kind, where,
                               "" if by_kind else ", and from many addresses")
    return max(waits)
