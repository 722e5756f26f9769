"""Settings, read from the environment (prefix ``GATEWAY_``) and an optional ``.env`` file."""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Literal

from limits import parse as parse_rate_limit
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from gateway.kit.client_address import IPNetwork, parse_networks

# Values people paste from examples; refusing them in production stops a deployment whose
# keys and webhook secrets would be protected by a publicly known secret.
PLACEHOLDER_SECRETS = frozenset(
    {"", "change-me", "changeme", "secret", "please-change-me", "replace-me", "dev", "development"}
)
MIN_SECRET_LENGTH = 32


class Environment(StrEnum):
    development = "development"
    production = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="GATEWAY_", env_file=".env", extra="ignore", frozen=True
    )

    env: Environment = Field(
        default=Environment.development,
        description=(
            "`development` or `production`. Production refuses to start without a real "
            "`GATEWAY_SECRET_KEY`."
        ),
    )
    database_url: str | None = Field(
        default=None,
        description="postgresql+asyncpg://… URL; unset, `gateway up` starts an embedded server.",
    )
    redis_url: str | None = Field(
        default=None, description="redis://… URL; unset, `gateway up` starts an embedded server."
    )
    data_dir: Path = Field(
        default=Path(".gateway"),
        description=(
            "Where the embedded servers keep their data and ports, and where the development "
            "secret key is kept."
        ),
    )
    secret_key: str | None = Field(
        default=None,
        description=(
            "Keys API-key hashes and encrypts stored secrets (webhook secrets, cloud "
            "credentials, dashboard cookies). Required in production. A comma-separated "
            "keyring while rotating (`new,old`): the first key signs and encrypts, every key "
            "still verifies and decrypts (docs/deployment.md, Rotating the secret key)."
        ),
    )
    admin_token: str | None = Field(
        default=None, description="Bearer token for /admin; unset, the admin API is disabled."
    )
    host: str = Field(
        default="127.0.0.1",
        description=(
            "Interface the API listens on (`0.0.0.0` in the Docker image). `--host` overrides it."
        ),
    )
    port: int = Field(
        default=8000,
        ge=0,
        le=65535,
        description=("Port the API listens on. `--port` overrides it."),
    )
    public_url: str | None = Field(
        default=None, description="Base URL printed and used in links; defaults to host:port."
    )
    default_rate_limit: str = Field(
        default="100/second",
        description=(
            "Rate limit of a key that has none of its own and whose account and plan have none. "
            "`limits` notation: `100/second`, `5000/hour`, `1000 per 10 minutes`."
        ),
    )
    # Numbers a session may look up with contacts/check: bulk lookups invite bans.
    number_check_rate_limit: str = Field(
        default="500 per hour",
        description=(
            "How many distinct numbers one session may look up with `POST …/contacts/check`: bulk "
            "lookups get numbers banned."
        ),
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO",
        description=("`DEBUG`, `INFO`, `WARNING` or `ERROR`."),
    )
    log_format: Literal["auto", "json", "console"] = Field(
        default="auto",
        description="`auto`: the readable console format when the output is a terminal, "
        "JSON lines otherwise.",
    )
    max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description=(
            "Largest request body accepted; larger gets 413 `request_too_large`. At least 1024."
        ),
    )
    auth_cache_seconds: float = Field(
        default=60.0,
        ge=0,
        description=(
            "How long an API process reuses a key lookup (the key and its account) instead of "
            "querying PostgreSQL. Revocations and key or account changes still reach every process"
            " within a second (Redis pub/sub); while that subscription is down, entries are "
            "trusted for one second only. `0` looks the key up on every request."
        ),
    )
    trusted_proxies: str = Field(
        default="",
        description=(
            "Comma-separated addresses or CIDRs of the proxies in front of the API (e.g. "
            "`10.0.0.0/8,127.0.0.1`). From these peers only, `X-Forwarded-For` names the client "
            "(the rightmost entry that is not itself a trusted proxy: what a key's `allowed_ips` "
            "is checked against) and `X-Forwarded-Proto` the scheme. Empty: the connection's "
            "peer is the client and forwarding headers are ignored."
        ),
    )
    idempotency_ttl_seconds: int = Field(
        default=86_400,
        ge=60,
        description=(
            "How long a response stored under an `Idempotency-Key` is replayed. At least 60."
        ),
    )
    host_capacity: int = Field(default=200, ge=1, description="Sessions one engine host runs.")
    web_host_capacity: int = Field(
        default=25,
        ge=0,
        description="Web sessions one engine host runs at most, within `host_capacity`: each "
        "is a process of its own (~55 MB idle, one PostgreSQL connection). 0: none.",
    )
    host_lease_seconds: float = Field(
        default=15.0, ge=1.0, description="How long a host's claim on a session lasts unrenewed."
    )
    host_reconcile_seconds: float = Field(
        default=1.0, gt=0, description="How often a host reconciles without being nudged."
    )
    stream_heartbeat_seconds: float = Field(
        default=15.0, gt=0, description="Heartbeat interval of an idle event stream."
    )
    webhook_retry_schedule: list[float] = Field(
        default=[0, 5, 300, 1800, 7200, 18000, 36000, 36000],
        min_length=1,
        description="Seconds before each delivery attempt (the first is at once).",
    )
    webhook_timeout_seconds: float = Field(
        default=15.0,
        gt=0,
        le=120,
        description=("How long one delivery attempt may take."),
    )
    webhook_disable_after_seconds: float = Field(
        default=5 * 86_400, gt=0, description="An endpoint failing this long is disabled."
    )
    worker_max_jobs: int = Field(default=10, ge=1, description="Jobs a worker runs at once.")
    export_ttl_seconds: int = Field(
        default=7 * 86_400,
        ge=60,
        description="How long a finished data export can be downloaded before it is deleted.",
    )
    export_batch_size: int = Field(
        default=500,
        ge=1,
        le=10_000,
        description="Rows a data export reads per query (and holds in memory at once).",
    )
    export_lease_seconds: float = Field(
        default=60.0,
        ge=1.0,
        description="How long a running data export may go without progress before the sweep "
        "presumes its worker dead and starts it again.",
    )
    media_max_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=1024,
        description="Largest file the gateway stores: uploaded, fetched from a URL or base64.",
    )
    media_storage: Literal["local", "s3"] = Field(
        default="local",
        description="Where files live: `local` (under the data dir's `media/`) or `s3`.",
    )
    media_fetch_timeout_seconds: float = Field(
        default=30.0, gt=0, description="Total time allowed to fetch a message's file by URL."
    )
    media_s3_bucket: str | None = Field(default=None, description="The bucket, with `s3`.")
    media_s3_endpoint_url: str | None = Field(
        default=None,
        description="An S3-compatible endpoint (MinIO, R2 …), addressed path-style; "
        "unset, AWS S3 in `media_s3_region`.",
    )
    media_s3_region: str = Field(
        default="us-east-1", description="The region requests are signed for."
    )
    media_s3_access_key_id: str | None = Field(default=None, description="The S3 access key id.")
    media_s3_secret_access_key: str | None = Field(
        default=None, description="The S3 secret access key."
    )
    test_mode_sessions: int = Field(
        default=100,
        ge=0,
        description="Sandbox sessions an account may have at once. They are free and do not "
        "count against the plan's `sessions`.",
    )
    test_mode_api_keys: int = Field(
        default=10,
        ge=0,
        description="Test-mode keys an account may have unrevoked at once. They are free and "
        "do not count against the plan's `api_keys`.",
    )
    test_mode_messages_per_day: int = Field(
        default=10_000,
        ge=0,
        description="Messages an account may send a day (UTC) on sandbox sessions. They are "
        "free and do not count against the plan's `messages_per_month`.",
    )
    stripe_secret_key: SecretStr | None = Field(
        default=None,
        description="Stripe secret key (`sk_…` or a restricted `rk_…`); unset, billing is off "
        "and every account stays on the plan the operator gives it.",
    )
    stripe_webhook_secret: SecretStr | None = Field(
        default=None,
        description="Signing secret (`whsec_…`) of the Stripe webhook endpoint that points "
        "at `/v1/billing/stripe/webhook`.",
    )
    stripe_api_base: str = Field(
        default="https://api.stripe.com", description="Where Stripe's API is (a fake in tests)."
    )
    stripe_meter_event_name: str = Field(
        default="gateway_messages",
        min_length=1,
        max_length=100,
        description="The `event_name` of the Stripe Billing Meter overage is reported to.",
    )
    stripe_timeout_seconds: float = Field(
        default=20.0,
        gt=0,
        le=80,
        description=("Timeout of one call to Stripe."),
    )
    billing_grace_days: float = Field(
        default=7.0,
        ge=0,
        description="Days a `past_due` subscription keeps its plan before the account falls "
        "back to the default plan's limits.",
    )
    allow_private_targets: bool | None = Field(
        default=None,
        description="Whether the gateway may fetch from and deliver to private, loopback and "
        "link-local addresses. Unset: allowed in development, refused in production.",
    )

    metrics: bool | None = Field(
        default=None,
        description="Whether `/metrics` serves Prometheus metrics (404 when off). Unset: on in "
        "development; in production on when `GATEWAY_METRICS_TOKEN` is set, so a public "
        "API port does not show its traffic to anyone who asks.",
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="When set, `/metrics` (and the worker's metrics listener) answer only "
        "`Authorization: Bearer <token>`, 401 otherwise. At least 32 characters in production.",
    )
    metrics_state_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How long an API process reuses the deployment-wide gauges (messages, "
        "outboxes, sessions, queues: one SQL statement counting the messages table and one "
        "Redis pipeline) before a scrape reads them again. Raise it for a very large "
        "messages table.",
    )
    worker_metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Port on `GATEWAY_HOST` where a standalone `gateway worker` serves its own "
        "metrics at `/metrics`; unset, none. `gateway up` serves them on the API's `/metrics`.",
    )

    retention_messages_days: int = Field(
        default=90,
        ge=0,
        le=36_500,
        description="Days a message is kept after it was created, once it is finished (sent, "
        "delivered, read, failed, cancelled, or received); an account may choose its own. "
        "Queued, sending and scheduled messages are never purged. 0: kept forever.",
    )
    retention_events_days: int = Field(
        default=30,
        ge=0,
        le=36_500,
        description="Days an event is kept for `/v1/events`, the delivery log and replays; an "
        "account may choose its own. An event with a webhook delivery still pending is kept, "
        "and deleting an event deletes its deliveries. 0: kept forever.",
    )
    retention_webhook_deliveries_days: int = Field(
        default=30,
        ge=0,
        le=36_500,
        description="Days a finished webhook delivery and its attempts are kept; an account "
        "may choose its own. Pending deliveries are never purged. 0: kept forever.",
    )
    retention_max_days: int | None = Field(
        default=None,
        ge=1,
        le=36_500,
        description="The longest retention, in days, of any kind for any account: what an "
        "account (or the admin API) may set, and what the purge applies to longer values "
        "set before. The defaults above must then be 1 to this. Unset: no maximum.",
    )
    retention_session_tombstones_days: int = Field(
        default=30,
        ge=0,
        le=36_500,
        description="Days a deleted session is kept as a tombstone (deleting it again "
        "succeeds, its id is not reused); then it is removed with what is left of its "
        "messages and engine state. 0: kept forever.",
    )
    retention_sandbox_days: int = Field(
        default=7,
        ge=0,
        le=36_500,
        description="Days the sandbox's simulated network keeps what it is done with: inbound "
        "messages a session received, sends whose acks are all given. 0: kept forever.",
    )
    retention_orphaned_media_seconds: int = Field(
        default=3600,
        ge=60,
        description="Age after which a file in local media storage with no media row is "
        "deleted: its bytes were stored by a request that then failed or rolled back. Longer "
        "than any upload or fetch takes from storing to committing. S3 buckets are not swept.",
    )
    retention_batch_size: int = Field(
        default=1000,
        ge=1,
        le=100_000,
        description="Rows the retention purge deletes per statement, each in its own short "
        "transaction, so it never holds many locks for long.",
    )
    retention_batches_per_run: int = Field(
        default=100,
        ge=1,
        description="Batches of each kind one purge run (every 10 minutes) deletes at most; "
        "what is left waits for the next run.",
    )

    @field_validator("default_rate_limit", "number_check_rate_limit")
    @classmethod
    def _valid_rate_limit(cls, value: str) -> str:
        parse_rate_limit(value)
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_trusted_proxies(cls, value: str) -> str:
        try:
            parse_networks(value.split(","))
        except ValueError as exc:
            raise ValueError(f"GATEWAY_TRUSTED_PROXIES: {exc}") from None
        return value

    @field_validator("secret_key")
    @classmethod
    def _valid_keyring(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None  # as if unset: generated in development, refused in production
        parse_keyring(value)
        return value

    @cached_property
    def trusted_proxy_networks(self) -> tuple[IPNetwork, ...]:
        return parse_networks(self.trusted_proxies.split(","))

    @model_validator(mode="after")
    def _production_needs_real_secret(self) -> Settings:
        if self.env is Environment.production:
            keys = parse_keyring(self.secret_key) if self.secret_key else [""]
            for position, key in enumerate(keys, start=1):
                if key.lower() in PLACEHOLDER_SECRETS or len(key) < MIN_SECRET_LENGTH:
                    which = "" if len(keys) == 1 else f" (key {position} of {len(keys)})"
                    raise ValueError(
                        f"GATEWAY_SECRET_KEY{which} must be set to a random value of at least "
                        f"{MIN_SECRET_LENGTH} characters in production "
                        '(python -c "import secrets; print(secrets.token_urlsafe(48))")'
                    )
            token = self.admin_token
            if token is not None and (
                token.strip().lower() in PLACEHOLDER_SECRETS or len(token) < MIN_SECRET_LENGTH
            ):
                raise ValueError(
                    "GATEWAY_ADMIN_TOKEN must be unset (admin API off) or a random value of at "
                    f"least {MIN_SECRET_LENGTH} characters in production"
                )
            metrics_token = self.metrics_token.get_secret_value() if self.metrics_token else None
            if metrics_token and (
                metrics_token.strip().lower() in PLACEHOLDER_SECRETS
                or len(metrics_token) < MIN_SECRET_LENGTH
            ):
                raise ValueError(
                    "GATEWAY_METRICS_TOKEN must be unset or a random value of at least "
                    f"{MIN_SECRET_LENGTH} characters in production"
                )
        return self

    @model_validator(mode="after")
    def _s3_needs_bucket_and_credentials(self) -> Settings:
        if self.media_storage == "s3":
            missing = [
                f"GATEWAY_{name.upper()}"
                for name in (
                    "media_s3_bucket",
                    "media_s3_access_key_id",
                    "media_s3_secret_access_key",
                )
                if not getattr(self, name)
            ]
            if missing:
                raise ValueError(f"GATEWAY_MEDIA_STORAGE=s3 needs {', '.join(missing)}")
        return self

    @model_validator(mode="after")
    def _retention_defaults_within_maximum(self) -> Settings:
        maximum = self.retention_max_days
        if maximum is None:
            return self
        for kind in ("messages", "events", "webhook_deliveries"):
            days = getattr(self, f"retention_{kind}_days")
            if not 1 <= days <= maximum:
                raise ValueError(
                    f"GATEWAY_RETENTION_{kind.upper()}_DAYS must be 1 to "
                    f"GATEWAY_RETENTION_MAX_DAYS ({maximum})"
                )
        return self

    @property
    def billing_enabled(self) -> bool:
        return self.stripe_secret_key is not None and bool(
            self.stripe_secret_key.get_secret_value()
        )

    @property
    def metrics_enabled(self) -> bool:
        if self.metrics is not None:
            return self.metrics
        return not self.is_production or bool(
            self.metrics_token and self.metrics_token.get_secret_value()
        )

    @property
    def is_production(self) -> bool:
        return self.env is Environment.production

    @property
    def private_targets_allowed(self) -> bool:
        """Whether outbound HTTP may reach non-public addresses (the SSRF guard's switch)."""
        if self.allow_private_targets is not None:
            return self.allow_private_targets
        return not self.is_production

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @cached_property
    def secrets(self) -> tuple[bytes, ...]:
        """The keyring, current key first: the current key signs and encrypts, every key
        verifies and decrypts. In development an unset key is generated once and kept in
        the data dir, so keys created on one start still work after a restart."""
        if self.secret_key:
            return tuple(key.encode() for key in parse_keyring(self.secret_key))
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return (path.read_text().strip().encode(),)

    @property
    def secret(self) -> bytes:
        """The current server secret (the keyring's first key): what signs, encrypts and
        hashes anything new."""
        return self.secrets[0]

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in {"0.0.0.0", "::"} else self.host  # noqa: S104
        return f"http://{host}:{self.port}"


def parse_keyring(value: str) -> list[str]:
    """The keys of ``GATEWAY_SECRET_KEY``: one key, or several separated by commas (the
    current first). Surrounding spaces are ignored; an empty or repeated key is refused."""
    keys = [part.strip() for part in value.split(",")]
    for position, key in enumerate(keys, start=1):
        if not key:
            raise ValueError(
                f"GATEWAY_SECRET_KEY: key {position} of {len(keys)} is empty (the keyring is "
                "comma-separated, current key first: new,old)"
            )
    if len(set(keys)) != len(keys):
        raise ValueError("GATEWAY_SECRET_KEY: the same key appears twice in the keyring")
    return keys


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (used by the CLI and tests)."""
    return Settings(**overrides)  # type: ignore[arg-type]
