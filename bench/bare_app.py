"""The baseline of bench_public.py: a one-route Flask app, served by gunicorn exactly like eventapp.

    gunicorn -w 2 -b 127.0.0.1:8001 'bench.bare_app:app'
"""

import gc

from flask import Flask

app = Flask(__name__)

PAGE = ("<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Hội nghị</title></head>"
        "<body><p>Xin chào đại biểu.</p></body></html>")


@app.get("/")
def index():
    return PAGE


@app.post("/json")
@app.post("/api/v1/checkin")  # bench_checkin.py posts the check-in's exact request here
def json_echo():
    """The baseline of a JSON API call: parse the body, answer with a small JSON object."""
    from flask import request

    payload = request.get_json(silent=True) or {}
    return {"result": "ok", "code": str(payload.get("code", ""))[:200]}, 201


# Served the same way as eventapp.wsgi: the collector's generations hold only what requests allocate.
gc.collect()
gc.freeze()
