"""Slowing down password guessing without locking anyone out.

Only failed sign-ins are counted, in a moving window of LOGIN_FAILURE_WINDOW seconds, under three keys: the
username typed, the client's address and, when the browser has one, its device cookie. Past a few free failures
(LOGIN_FREE_FAILURES_PER_USER for a username or a device, LOGIN_FREE_FAILURES_PER_ADDRESS for an address, which
a whole office may share) the next attempt must wait 1 second after the last failure, then 2, 4, 8... up to
LOGIN_MAX_DELAY: a guesser gets a few attempts an hour, and the account is never locked.

A stranger's failures must not keep the account's owner out, so (OWASP, "Slow Down Online Guessing Attacks with
Device Cookies"):

- a browser that signed in to this account before carries a signed device cookie naming it: its attempts wait
  only for that device's own failures, not the username's nor the address's;
- an address this account signed in from in the last 30 days does not wait for the username's failures (only
  for the address's own).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from limits import RateLimitItemPerSecond

from .. import ratelimit

#: The cookie that makes a browser a known device of the accounts it signed in to.
DEVICE_COOKIE = "known_device"
DEVICE_COOKIE_DAYS = 365
#: Accounts one device cookie remembers (a shared reception PC), the latest kept.
DEVICE_ACCOUNTS = 10
#: How long an address stays known to an account after a sign-in from it.
KNOWN_ADDRESS = RateLimitItemPerSecond(1, 30 * 24 * 3600)
#: More failures than this in one window are not counted (the wait is at its longest long before).
MAX_COUNTED = 1000


def _failures() -> RateLimitItemPerSecond:
    return RateLimitItemPerSecond(MAX_COUNTED, current_app.config["LOGIN_FAILURE_WINDOW"])


def delay_after(failures: int, free: int) -> int:
    """Seconds an attempt must wait after the last failure, once ``failures`` were counted: none while under
    ``free``, then 1, 2, 4, 8... capped at LOGIN_MAX_DELAY."""
    if failures < free:
        return 0
    return min(2 ** min(failures - free, 30), current_app.config["LOGIN_MAX_DELAY"])


def _gap(seconds: int) -> RateLimitItemPerSecond:
    """At most one failure in ``seconds``: the wait imposed after the last one."""
    return RateLimitItemPerSecond(1, seconds)


@dataclass
class Attempt:
    """One sign-in attempt: who it claims to be, from where, from which device."""

    username: str
    address: str
    device: str | None = None
    device_accounts: list[str] = field(default_factory=list)

    @classmethod
    def from_request(cls, username: str) -> Attempt:
        device, accounts = _read_device_cookie()
        return cls((username or "").strip().lower()[:64], ratelimit.address(), device, accounts)

    @property
    def known_device(self) -> bool:
        return self.device is not None and self.username in self.device_accounts

    def _scopes(self) -> list[tuple[str, str, int]]:
        """(scope, key, free failures) whose waits apply to this attempt."""
        config = current_app.config
        per_user, per_address = config["LOGIN_FREE_FAILURES_PER_USER"], config["LOGIN_FREE_FAILURES_PER_ADDRESS"]
        if self.known_device:
            return [("device", self.device, per_user)]
        scopes = [("address", self.address, per_address)]
        if not _known_address(self.username, self.address):
            scopes.append(("user", self.username, per_user))
        return scopes

    def wait(self) -> int:
        """Seconds before this attempt may be tried (0: now). Counts nothing."""
        if not ratelimit.enabled():
            return 0
        try:
            counter = ratelimit.limiter()
            waits = [0]
            for scope, key, free in self._scopes():
                failures = counter.count(_failures(), "login-failure", scope, key)
                seconds = delay_after(failures, free)
                if seconds:
                    waits.append(counter.wait(_gap(seconds), "login-gap", scope, key, str(seconds)))
            return max(waits)
        except Exception:
            ratelimit.unavailable("sign-ins")
            return 0

    def failed(self) -> None:
        """Count a wrong password (or an unknown or locked account) under every key of the attempt."""
        if not ratelimit.enabled():
            return
        config = current_app.config
        free = {"user": config["LOGIN_FREE_FAILURES_PER_USER"], "device": config["LOGIN_FREE_FAILURES_PER_USER"],
                "address": config["LOGIN_FREE_FAILURES_PER_ADDRESS"]}
        keys = [("user", self.username), ("address", self.address)]
        if self.device:
            keys.append(("device", self.device))
        try:
            counter = ratelimit.limiter()
            for scope, key in keys:
                counter.hit(_failures(), "login-failure", scope, key)
                seconds = delay_after(counter.count(_failures(), "login-failure", scope, key), free[scope])
                if seconds:
                    counter.hit(_gap(seconds), "login-gap", scope, key, str(seconds))
        except Exception:
            ratelimit.unavailable("sign-ins")

    def succeeded(self, response: Response) -> Response:
        """The right password: this address becomes known to the account, and the browser a known device (its
        cookie set on ``response``). Successes are never counted as attempts."""
        if ratelimit.enabled():
            try:
                counter = ratelimit.limiter()
                counter.clear(KNOWN_ADDRESS, "login-known", self.username, self.address)
                counter.hit(KNOWN_ADDRESS, "login-known", self.username, self.address)
            except Exception:
                ratelimit.unavailable("sign-ins")
        accounts = [name for name in self.device_accounts if name != self.username][-(DEVICE_ACCOUNTS - 1):]
        value = _serializer().dumps({"d": self.device or secrets.token_urlsafe(16), "u": [*accounts, self.username]})
        config = current_app.config
        response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_COOKIE_DAYS * 24 * 3600, httponly=True,
                            secure=config["REMEMBER_COOKIE_SECURE"], samesite="Lax")
        return response


def _known_address(username: str, address: str) -> bool:
    return ratelimit.limiter().count(KNOWN_ADDRESS, "login-known", username, address) > 0


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="eventapp-known-device")


def _read_device_cookie() -> tuple[str | None, list[str]]:
    """(device id, usernames) of a valid device cookie; (None, []) without one or for a forged one."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None, []
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return None, []
    if not isinstance(data, dict) or not isinstance(data.get("d"), str) or not isinstance(data.get("u"), list):
        return None, []
    return data["d"][:64], [str(name) for name in data["u"][:DEVICE_ACCOUNTS]]
