"""Errors that carry their own HTTP status, so edges can turn them into problem details."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    status = 400
    code = "error"
    title = "Request failed"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field

    def problem(self) -> dict[str, object]:
        body: dict[str, object] = {
            "type": f"https://oversight.example/problems/{self.code}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }
        if self.field is not None:
            body["errors"] = [{"field": self.field, "message": self.detail}]
        return body


class NotFound(DomainError):
    """Missing, or outside the actor's reach: the two are indistinguishable on purpose."""

    status = 404
    code = "not_found"
    title = "Not found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    title = "Not permitted"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Conflict with the current state"


class Invalid(DomainError):
    """Input that cannot be accepted; names every field at fault."""

    status = 422
    code = "invalid"
    title = "Invalid input"

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        detail = "; ".join(f"{name}: {message}" for name, message in self.errors.items())
        super().__init__(detail, field=next(iter(self.errors), None))

    def problem(self) -> dict[str, object]:
        body = super().problem()
        body["errors"] = [{"field": name, "message": message} for name, message in self.errors.items()]
        return body
