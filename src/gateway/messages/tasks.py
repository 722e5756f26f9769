"""Delivery jobs. The row is the unit of work; these jobs wake the outbox that sends it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.engines.control import host_queue
from gateway.kit.jobs import JobContext, transactional_job
from gateway.messages import repository


async def deliver_message(ctx: JobContext, session_id: str, message_id: str) -> bool:
    """Runs on the queue of the host holding the session: wake its outbox, which sends the
    session's due messages in order. False when this host no longer runs the session
    (the row waits for the host that does)."""
    from gateway.engines.host import EngineHost

    host: EngineHost = ctx["host"]
    return host.wake_outbox(session_id)


@transactional_job
async def sweep_messages(ctx: JobContext, db: AsyncSession) -> int:
    """Wake the outbox of every running session that has due messages, in case their job
    was lost (Redis down or restarted, a push failed). Returns how many were woken."""
    due = await repository.sessions_with_due_messages(db)
    for session_id, host_id in due:
        await ctx["redis"].enqueue_job(
            "deliver_message", session_id, "sweep", _queue_name=host_queue(host_id)
        )
    return len(due)
