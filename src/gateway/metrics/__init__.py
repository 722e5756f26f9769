"""Prometheus metrics: what each process counts (HTTP requests, webhook attempts, engine
errors, lease takeovers) and the deployment's state read at scrape time (messages,
outboxes, sessions, queues), served at ``/metrics``. Labels are low-cardinality by
construction: engines, statuses, route templates and outcomes, never an account's or a
session's id."""

from prometheus_client import disable_created_metrics

# No ``…_created`` series beside every counter and histogram: they double what a scrape
# carries, and Prometheus needs none of them for rates. A process-wide switch of the
# library, thrown before any module here makes a metric.
disable_created_metrics()  # type: ignore[no-untyped-call]
