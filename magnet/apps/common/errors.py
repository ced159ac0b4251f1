"""DomainError: a business rule said no. One ninja handler and the htmx views turn it into a message."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal by a domain rule, with a stable `code` that tests and API clients can rely on."""

    def __init__(self, code: str, message: str, extra: dict[str, Any] | None = None, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra or {}
        self.status = status

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), **({"extra": self.extra} if self.extra else {})}
