from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gateway.engines.records import NumberCheck

MAX_CHECK_NUMBERS = 50


class NumberCheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    numbers: list[str] = Field(
        min_length=1,
        max_length=MAX_CHECK_NUMBERS,
        description="Up to 50 phone numbers in international format.",
        examples=[["+12025550111", "+12025550131", "12345"]],
    )


class NumberCheckList(BaseModel):
    """One result per number, in the order given; a malformed number fails alone."""

    object: Literal["number_check_list"] = "number_check_list"
    data: list[NumberCheck]
