"""The usage object: an account's figures for a billing period, against its plan."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field


class Metered(BaseModel):
    used: int
    limit: int | None = Field(description="What the plan allows; null: unlimited.")


class SessionMessages(BaseModel):
    session_id: str
    name: str
    livemode: bool = Field(description="False for sandbox sessions, whose messages are free.")
    messages: int


class DayMessages(BaseModel):
    date: date
    messages: int = Field(description="Live messages created that day (UTC).")


class PeriodMessages(BaseModel):
    used: int = Field(description="Live messages accepted in the period.")
    included: int | None = Field(description="What the plan includes; null: unlimited.")
    overage: int = Field(description="Live messages past the included ones (billed as overage).")
    overage_allowed: bool
    test_mode: int = Field(description="Messages of sandbox sessions (free).")
    by_status: dict[str, int] = Field(description="Live messages by their current status.")
    by_session: list[SessionMessages]
    by_day: list[DayMessages]


class PeriodUsage(BaseModel):
    period: str = Field(examples=["2026-12"], description="A calendar month in UTC.")
    starts_at: datetime
    ends_at: datetime
    messages: PeriodMessages


class PlanRef(BaseModel):
    id: str
    name: str


class Usage(BaseModel):
    """The account's usage: messages of the current and previous billing periods, and
    what it holds now, each against its plan's limit."""

    object: Literal["usage"] = "usage"
    account_id: str
    plan: PlanRef
    current_period: PeriodUsage
    previous_period: PeriodUsage
    sessions: Metered
    webhook_endpoints: Metered
    api_keys: Metered = Field(description="Unrevoked live keys (test-mode keys are free).")
    media_storage_bytes: Metered
