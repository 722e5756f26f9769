from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base, TimestampMixin


class SandboxGroup(TimestampMixin, Base):
    """A group in the simulated network. The network is one per account: every sandbox
    session of the account can be in the same group, and invite codes work across them."""

    __tablename__ = "sandbox_groups"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    picture_id: Mapped[str | None] = mapped_column(String(40))
    owner: Mapped[str | None] = mapped_column(String(64))
    only_admins_send: Mapped[bool] = mapped_column(Boolean, server_default="false")
    only_admins_edit_info: Mapped[bool] = mapped_column(Boolean, server_default="false")
    invite_code: Mapped[str] = mapped_column(String(32), unique=True)


class SandboxGroupMember(Base):
    """A participant of a sandbox group, by phone-number id."""

    __tablename__ = "sandbox_group_members"

    group_id: Mapped[str] = mapped_column(
        ForeignKey("sandbox_groups.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(12))  # superadmin | admin | member
    joined_at: Mapped[datetime]
