"""Small SQL constructions the repositories share."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, column, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import TypeEngine


def unnested(name: str, **columns: tuple[str, TypeEngine[Any]]) -> Any:
    """Rows given as parallel arrays, one bound parameter each, as a derived table:
    ``unnested("given", id=("ids", String()))`` is ``unnest(:ids) AS given(id)``. One
    statement then serves a whole batch, however many rows it has."""
    arrays = [bindparam(param, type_=ARRAY(type_)) for param, type_ in columns.values()]
    typed = [column(name_, type_) for name_, (_, type_) in columns.items()]
    return func.unnest(*arrays).table_valued(*typed).render_derived(name=name)
