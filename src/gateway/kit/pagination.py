"""Cursor pagination, Stripe style: ``limit``, ``starting_after``, ``ending_before``.

Lists are newest first and ordered by id (ids are time-sortable), so a cursor is just an
id: no offsets, no gaps or duplicates when rows are added while a client pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

from gateway.kit.errors import InvalidRequest

T = TypeVar("T")
Row = TypeVar("Row")


class ListResponse(BaseModel, Generic[T]):
    object: Literal["list"] = "list"
    data: list[T]
    has_more: bool


@dataclass(frozen=True)
class Page:
    limit: int = 20
    starting_after: str | None = None
    ending_before: str | None = None


def page_params(
    limit: Annotated[int, Query(ge=1, le=100, description="How many objects, 1 to 100.")] = 20,
    starting_after: Annotated[
        str | None,
        Query(max_length=64, description="Cursor: the id after which the page starts (older)."),
    ] = None,
    ending_before: Annotated[
        str | None,
        Query(max_length=64, description="Cursor: the id before which the page ends (newer)."),
    ] = None,
) -> Page:
    if starting_after and ending_before:
        raise InvalidRequest(
            "Pass at most one of starting_after and ending_before.", param="ending_before"
        )
    return Page(limit, starting_after, ending_before)


PageParams = Annotated[Page, Depends(page_params)]


def paginate(stmt: Select[Any], id_column: InstrumentedAttribute[str], page: Page) -> Select[Any]:
    """Apply the cursor and limit to ``stmt``; fetch one extra row to learn ``has_more``."""
    if page.ending_before:
        stmt = stmt.where(id_column > page.ending_before).order_by(id_column.asc())
    else:
        if page.starting_after:
            stmt = stmt.where(id_column < page.starting_after)
        stmt = stmt.order_by(id_column.desc())
    return stmt.limit(page.limit + 1)


def page_of(rows: Sequence[Row], page: Page) -> tuple[list[Row], bool]:
    """The rows of the page, newest first, and whether more lie beyond it."""
    items = list(rows[: page.limit])
    has_more = len(rows) > page.limit
    if page.ending_before:
        items.reverse()
    return items, has_more


def page_of_list(
    items: Sequence[Row], id_of: Callable[[Row], str], page: Page
) -> tuple[list[Row], bool]:
    """A page of a list that is answered whole and already ordered (an engine's contacts,
    chats or groups): the cursor is the id of an item, found by position."""
    ids = [id_of(item) for item in items]

    def position(cursor: str, param: str) -> int:
        try:
            return ids.index(cursor)
        except ValueError:
            raise InvalidRequest(f"No object '{cursor}' in this list.", param=param) from None

    if page.ending_before:
        end = position(page.ending_before, "ending_before")
        start = max(0, end - page.limit)
        return list(items[start:end]), start > 0
    start = position(page.starting_after, "starting_after") + 1 if page.starting_after else 0
    return list(items[start : start + page.limit]), len(items) > start + page.limit
