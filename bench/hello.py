"""The yardstick: a bare Flask app that answers "hello" and nothing else.

`make bench` serves it with the same gunicorn settings as the app
(`gunicorn bench.hello:app`, the same workers) and measures it in the same
run, alternating with the app's pages: every figure is then also a fraction
of what Flask and gunicorn cost on their own on this machine at this moment,
which holds far better than a request rate on a machine others share."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
