"""What the pages share: reading forms into the API's own request models, cursors, and
undoing a refused action's work before its page is shown again."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.kit.aftercommit import discard_after_commit
from gateway.kit.errors import InvalidRequest
from gateway.kit.ids import is_valid_id
from gateway.kit.pagination import Page

M = TypeVar("M", bound=BaseModel)

PAGE_SIZE = 25


def invalid(exc: ValidationError) -> InvalidRequest:
    """The first problem of a model's validation, in the words the API would use."""
    first = exc.errors()[0]
    param = ".".join(str(part) for part in first.get("loc", ()) if part != "__root__")
    detail = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    if first.get("type") == "extra_forbidden":
        return InvalidRequest(f"Unknown field: {param}.", param=param or None)
    if first.get("type") == "missing":
        return InvalidRequest(f"Missing field: {param}.", param=param or None)
    return InvalidRequest(f"Invalid {param}: {detail}" if param else detail, param=param or None)


def parse(model: type[M], values: dict[str, Any]) -> M:
    """``values`` as the API's request model, or the API's refusal as an ``InvalidRequest``."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise invalid(exc) from None


def parse_as(adapter: TypeAdapter[Any], values: dict[str, Any]) -> Any:
    try:
        return adapter.validate_python(values)
    except ValidationError as exc:
        raise invalid(exc) from None


def page_after(cursor: str | None, prefix: str) -> Page:
    """A page of ``PAGE_SIZE`` older than ``cursor`` (an id of the list's kind)."""
    if cursor is not None and not is_valid_id(cursor, prefix):
        raise InvalidRequest(f"Invalid cursor '{cursor[:40]}'.", param="after")
    return Page(limit=PAGE_SIZE, starting_after=cursor)


async def abandon(db: AsyncSession) -> None:
    """Roll back what a refused action did (its rows and its queued jobs), so that the
    page shown with the refusal commits nothing."""
    if db.in_transaction():
        await db.rollback()
    discard_after_commit(db)
