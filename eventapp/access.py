"""Who may open what: every view declares a rule, and one hook enforces it before the view runs.

A view without a rule is refused (and the authorization-matrix test fails), so a new route cannot be
forgotten. Rules:

- ``@public``: anyone; the view itself checks any secret in the URL (RSVP, pass, speaker links).
- ``@device_api``: the view authenticates a device's bearer token itself.
- ``@roles(...)``: a signed-in user with one of the roles.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from .models.enums import Role

ADMINS = frozenset({Role.ADMIN})
ORGANIZERS = frozenset({Role.ORGANIZER, Role.ADMIN})
RECEPTION = frozenset({Role.RECEPTION, Role.ORGANIZER, Role.ADMIN})
DEPARTMENT = frozenset({Role.DEPARTMENT, Role.ORGANIZER, Role.ADMIN})
STAFF = frozenset(Role)


def public(view: Callable) -> Callable:
    """Open to anyone, signed in or not."""
    view.access_rule = ("public", None)  # type: ignore[attr-defined]
    return view


def device_api(view: Callable) -> Callable:
    """Authenticated by a device bearer token inside the view."""
    view.access_rule = ("device", None)  # type: ignore[attr-defined]
    return view


def roles(*allowed: Role | frozenset[Role]) -> Callable[[Callable], Callable]:
    """Open to signed-in users whose role is among ``allowed`` (roles or sets of roles)."""
    flat: set[str] = set()
    for item in allowed:
        flat.update(str(r) for r in (item if isinstance(item, frozenset) else {item}))

    def decorate(view: Callable) -> Callable:
        view.access_rule = ("roles", frozenset(flat))  # type: ignore[attr-defined]
        return view

    return decorate


def rule_of(endpoint: str | None):
    """The access rule of an endpoint, or None when it has none."""
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return ("public", None)
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def allows(endpoint: str, user) -> bool:
    """Whether ``user`` may open ``endpoint`` (its rule; an endpoint without one is open to nobody)."""
    rule = rule_of(endpoint)
    if rule is None:
        return False
    kind, allowed = rule
    return kind != "roles" or (user.is_authenticated and user.role in allowed)


def enforce_access():
    """before_request hook: refuse requests that the endpoint's rule does not allow."""
    if request.endpoint is None:
        return None  # 404 or 405, answered by Flask
    rule = rule_of(request.endpoint)
    if rule is None:
        current_app.logger.error("route %s has no access rule", request.endpoint)
        abort(403)
    kind, allowed = rule
    if kind in {"public", "device"}:
        return None
    if not current_user.is_authenticated:
        if request.headers.get("HX-Request"):
            abort(401)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if current_user.role not in allowed:
        abort(403)
    return None


def require(condition: bool) -> None:
    """Abort with 403 unless ``condition`` holds (for per-object checks inside views)."""
    if not condition:
        abort(403)

