"""Structured JSON logs, one object per line, each with the request id (LG-5).

Messages are serialised with json.dumps, so a user-supplied newline or quote cannot forge a record,
and anything shaped like an identity or phone number is masked (DP-3).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging

from magnet.core.pii import redact

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        body = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": redact(record.getMessage()),
        }
        if record.exc_info:
            body["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(body, ensure_ascii=False)
