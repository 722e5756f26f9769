"""Structured logs: JSON lines (or console in development) with the request id bound."""

from __future__ import annotations

import logging
import sys

import structlog

# What a periodic job returns when it found nothing to do.
_IDLE_RESULTS = frozenset({"", "0", "None", "False", "[]", "{}", "()", "''"})


class QuietCron(logging.Filter):
    """Drop arq's lines about cron jobs that found nothing to do: sweeps run every few
    seconds, and a terminal full of them hides what happened. A cron job's start line goes
    (its end line says what it did); its end line stays only when the job returned
    something (a count above zero, a summary) or failed."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if not isinstance(args, tuple) or len(args) < 2:
            return True
        ref = str(args[1])
        if not ref.startswith("cron:"):
            return True
        if record.msg.startswith("%6.2fs → "):
            return False
        if record.msg.startswith("%6.2fs ← ") and len(args) >= 3:
            return str(args[2]) not in _IDLE_RESULTS
        return True


def resolve_format(fmt: str) -> str:
    """``auto``: the console format on a terminal, JSON lines otherwise (files, collectors)."""
    if fmt == "auto":
        return "console" if sys.stderr.isatty() else "json"
    return fmt


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Route structlog and the standard library (uvicorn, arq, alembic) through one renderer."""
    fmt = resolve_format(fmt)
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        # Plain tracebacks: rich's render locals and can take seconds on a big frame.
        else structlog.dev.ConsoleRenderer(
            colors=sys.stderr.isatty(), exception_formatter=structlog.dev.plain_traceback
        )
    )
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # The HTTP middleware logs every request with its id; uvicorn's own line would repeat it.
    logging.getLogger("uvicorn.access").disabled = True
    jobs = logging.getLogger("arq.worker")
    if not any(isinstance(f, QuietCron) for f in jobs.filters):
        jobs.addFilter(QuietCron())
