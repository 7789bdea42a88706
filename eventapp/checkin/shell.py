"""The desk of an enrolled device, at /ban/<conference_id>, and the desk's service worker.

The desk's page is an app shell: no sign-in and no personal data in its HTML, so that it may be kept by the
service worker and opened without network. Everything it shows comes from the device API, called with the
device token (``Authorization: Bearer``) that enrolment hands to the browser once, in the address's fragment
(``#token=…``, never sent to the server); static/js/checkin.js keeps it in IndexedDB.
"""

from __future__ import annotations

from pathlib import Path

from flask import send_file

from ..access import public
from ..web import render
from . import bp

SERVICE_WORKER = Path(__file__).resolve().parent.parent.parent / "static" / "js" / "desk-sw.js"


@bp.route("/ban/<int:conference_id>")
@public
def desk_shell():
    """An enrolled device's desk: scanning, camera, the offline queue; its data comes from the device API."""
    response = render("checkin/desk_shell.html")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/ban/sw.js")
@public
def desk_service_worker():
    """The desk's service worker. It is registered for /ban/<id> and for the signed-in desk under /hoi-nghi/
    (Service-Worker-Allowed lets it reach beyond /ban/); always revalidated, so that a new version takes over."""
    response = send_file(SERVICE_WORKER, mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response
