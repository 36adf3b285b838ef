"""Domain errors raised by services; the interface layer maps them to messages and HTTP codes."""

from django.utils.functional import Promise


class DomainError(Exception):
    """A business rule refused the action. Nothing was changed."""

    http_status = 400
    default_code = "invalid_action"

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code or self.default_code
        self.fields = fields or {}


class PermissionDeniedError(DomainError):
    http_status = 403
    default_code = "permission_denied"


class NotFoundError(DomainError):
    http_status = 404
    default_code = "not_found"


class ConflictError(DomainError):
    """The action raced with another one or the state no longer allows it."""

    http_status = 409
    default_code = "conflict"
