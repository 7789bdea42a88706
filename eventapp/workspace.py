"""The conference workspace: every page under ``/hoi-nghi/<conference_id>/`` gets its conference here, once.

- The URL's ``conference_id`` is taken out of the view's arguments and kept in ``g`` (Flask's URL processors,
  as the docs do for language codes); every ``url_for`` of a conference page made while one is open gets it
  back, so a link to a sibling page needs no ``conference_id``.
- :func:`open_conference` runs right after :func:`eventapp.access.enforce_access`, once the caller's role allows
  the page: the conference is loaded into ``g.conference`` (404 when there is none), and the caller's right to it is
  checked (the place where per-conference permissions live, as Indico's ``RHManageEventBase._check_access``).
- Views read ``g.conference`` (templates ``conference``), and objects of the conference through :func:`in_conference`, which answers 404
  for another conference's object.
- Each feature declares its own tab of the conference pages (``@tab``) and its own entry of the main menu
  (``@menu``) on the view that opens it; who sees an entry is who may open the view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple, TypeVar

from flask import abort, current_app, g, request, url_for
from flask_login import current_user

from .access import allows
from .extensions import db
from .models import Conference

Model = TypeVar("Model")


# --- the conference of the URL -------------------------------------------------------------------

def pull_conference_id(endpoint: str | None, values: dict | None) -> None:
    """url_value_preprocessor: keep the URL's conference id in ``g`` instead of passing it to the view."""
    if values and "conference_id" in values:
        g.conference_id = values.pop("conference_id")


def add_conference_id(endpoint: str, values: dict) -> None:
    """url_defaults: links made on a conference's page point into the same conference unless told otherwise."""
    conference = g.get("conference")
    if (conference is not None and "conference_id" not in values
            and current_app.url_map.is_endpoint_expecting(endpoint, "conference_id")):
        values["conference_id"] = conference.id


def open_conference() -> None:
    """Load the conference of the URL into ``g.conference``: 404 when it does not exist, 403 when the caller
    may not work on it. A before_request hook that runs after the access hook, once the caller's role allows
    the page.

    One host agency runs eventapp and its organizers manage all of its conferences, so the role is today the
    whole right; a right per conference (its own organizers, a department's conferences) is decided here."""
    conference_id = g.get("conference_id")
    if conference_id is None:
        return
    conference = db.session.get(Conference, conference_id)
    if conference is None:
        abort(404)
    g.conference = conference


def conference_context() -> dict:
    """context_processor: a conference page's templates know its conference as ``conference``."""
    conference = g.get("conference")
    return {"conference": conference} if conference is not None else {}


def in_conference(model: type[Model], object_id: int) -> Model:
    """The ``model`` row ``object_id`` of the open conference; 404 when missing or another conference's."""
    obj = db.session.get(model, object_id)
    if obj is None or obj.conference_id != g.conference.id:
        abort(404)
    return obj


# --- tabs and menu entries, declared by the features -----------------------------------------------

class Entry(NamedTuple):
    """A link of the conference tabs or the main menu: shown to those the view lets in (or ``roles``)."""

    label: str
    order: int
    endpoint: str
    roles: frozenset[str] | None = None


class Link(NamedTuple):
    label: str
    url: str
    endpoint: str
    current: bool
    #: The phase this tab opens ("Chuẩn bị"...), on the first tab of each phase only.
    opens_phase: str = ""
    #: Wide screens start a new row of tabs here.
    new_row: bool = False


#: The tabs by the phase of a conference they serve, from the order they declare: (first order, phase name,
#: starts a row on wide screens). Tổng quan (0) stands before the phases.
PHASES = ((10, "Chuẩn bị", False), (50, "Tại hội nghị", True), (80, "Sau hội nghị", False))


def _phase_of(order: int) -> tuple[str, bool]:
    return next(((name, new_row) for start, name, new_row in reversed(PHASES) if order >= start), ("", False))


def tab(label: str, order: int) -> Callable[[Callable], Callable]:
    """Declare the view as a tab of the conference pages, at ``order`` (Tổng quan is 0; the phase is given by the
    order's band in ``PHASES``: 10–49 before the conference, 50–79 in the hall, 80 and after)."""

    def declare(view: Callable) -> Callable:
        view.conference_tab = (label, order)  # type: ignore[attr-defined]
        return view

    return declare


def menu(label: str, order: int, roles: Iterable[str] | None = None) -> Callable[[Callable], Callable]:
    """Declare the view as an entry of the main menu, at ``order``; ``roles`` narrows who sees it (it is
    everyone the view lets in otherwise)."""

    def declare(view: Callable) -> Callable:
        view.menu_entry = (label, order, frozenset(str(r) for r in roles) if roles else None)  # type: ignore[attr-defined]
        return view

    return declare


def _entries(attribute: str) -> list[Entry]:
    """The entries the views declare, by order; collected once per app."""
    key = f"eventapp.{attribute}"
    if key not in current_app.extensions:
        entries = [Entry(*getattr(view, attribute)[:2], endpoint, *getattr(view, attribute)[2:])
                   for endpoint, view in current_app.view_functions.items() if hasattr(view, attribute)]
        current_app.extensions[key] = sorted(entries, key=lambda e: (e.order, e.label))
    return current_app.extensions[key]


def _may_see(entry: Entry) -> bool:
    if not current_user.is_authenticated:
        return False
    if entry.roles is not None:
        return current_user.role in entry.roles
    return allows(entry.endpoint, current_user)


def conference_tabs(conference: Conference) -> list[Link]:
    """The tabs of ``conference`` the signed-in user may open, in order, grouped by phase."""
    links, phase = [], ""
    for e in _entries("conference_tab"):
        if not _may_see(e):
            continue
        entry_phase, new_row = _phase_of(e.order)
        opens = entry_phase if entry_phase != phase else ""
        links.append(Link(e.label, url_for(e.endpoint, conference_id=conference.id), e.endpoint,
                          e.endpoint == request.endpoint, opens, bool(opens) and new_row))
        phase = entry_phase
    return links


def main_menu() -> list[Link]:
    """The main menu of the signed-in user; the entry of the section being worked in is current (every
    conference page belongs to «Hội nghị»)."""
    endpoint = request.endpoint or ""
    section = "conferences" if g.get("conference_id") is not None else endpoint.partition(".")[0]
    return [Link(e.label, url_for(e.endpoint), e.endpoint,
                 e.endpoint == endpoint or e.endpoint.partition(".")[0] == section != "home")
            for e in _entries("menu_entry") if _may_see(e)]
