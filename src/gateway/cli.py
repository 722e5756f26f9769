"""The ``gateway`` command."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from arq.connections import RedisSettings, create_pool
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings, load_settings
from gateway.kit.logging import configure_logging
from gateway.runtime import runner

app = typer.Typer(help="The WhatsApp gateway.", no_args_is_help=True, add_completion=False)
accounts_app = typer.Typer(help="Manage accounts.", no_args_is_help=True)
keys_app = typer.Typer(help="Manage API keys.", no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")
app.add_typer(keys_app, name="keys")
secrets_app = typer.Typer(
    help="Rotate the server secret key (GATEWAY_SECRET_KEY=new,old).", no_args_is_help=True
)
app.add_typer(secrets_app, name="secrets")

T = TypeVar("T")

HostOption = Annotated[str | None, typer.Option(help="Interface to listen on.")]
PortOption = Annotated[int | None, typer.Option(help="Port to listen on.")]


def _settings(**overrides: object) -> Settings:
    try:
        settings = load_settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        problems = "\n".join(
            f"  {'.'.join(map(str, e['loc'])) or 'settings'}: "
            + e["msg"].removeprefix("Value error, ")
            for e in exc.errors()
        )
        print(f"Invalid configuration:\n{problems}", file=sys.stderr)
        raise typer.Exit(2) from None
    configure_logging(settings.log_level, settings.log_format)
    return settings


@app.command()
def up(host: HostOption = None, port: PortOption = None) -> None:
    """API, worker and (unless URLs are set) embedded PostgreSQL and Redis, in one process."""
    settings = _settings(host=host, port=port)
    with runner.infrastructure(settings) as infra:
        runner.migrate(infra.settings)
        first_key = _run_db(infra.settings, lambda db: _bootstrap(db, infra.settings))

        def ready() -> None:
            _print_banner(infra.settings, first_key)

        runner.run(lambda: runner.serve(infra.settings, api=True, worker=True, on_ready=ready))


@app.command()
def api(host: HostOption = None, port: PortOption = None) -> None:
    """The HTTP API only (needs GATEWAY_DATABASE_URL and GATEWAY_REDIS_URL)."""
    settings = _settings(host=host, port=port)
    with runner.infrastructure(settings, allow_embedded=False) as infra:
        runner.run(
            lambda: runner.serve(infra.settings, api=True, worker=False, on_ready=lambda: None)
        )


@app.command()
def worker() -> None:
    """The worker only: jobs and cron (needs GATEWAY_DATABASE_URL and GATEWAY_REDIS_URL)."""
    settings = _settings()
    with runner.infrastructure(settings, allow_embedded=False) as infra:
        runner.run(
            lambda: runner.serve(infra.settings, api=False, worker=True, on_ready=lambda: None)
        )


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    with runner.infrastructure(_settings(), redis=False) as infra:
        runner.migrate(infra.settings)
    print("Database is up to date.")


@app.command()
def openapi(
    output: Annotated[Path, typer.Option(help="Where to write the document.")] = Path(
        "openapi/openapi.json"
    ),
) -> None:
    """Write the OpenAPI document."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_openapi() + "\n")
    print(f"Wrote {output}")


@app.command("reference")
def reference(
    directory: Annotated[Path, typer.Option(help="Where to write the references.")] = Path(
        "docs/reference"
    ),
) -> None:
    """Write docs/reference/ (settings, error codes, event types) from the code."""
    from gateway.reference import write

    for path in write(directory):
        print(f"Wrote {path}")


def render_openapi() -> str:
    from gateway.app import create_app

    settings = Settings(
        database_url="postgresql+asyncpg://unused/unused", redis_url="redis://unused"
    )
    return json.dumps(create_app(settings).openapi(), indent=2, ensure_ascii=False)


@accounts_app.command("create")
def accounts_create(
    name: Annotated[str, typer.Option(help="The account's name.")],
    email: Annotated[str | None, typer.Option(help="Contact email.")] = None,
    mode: Annotated[str, typer.Option(help="Mode of the first key: test or live.")] = "test",
) -> None:
    """Create an account and print its first API key (shown once)."""
    from gateway.accounts.service import create_account
    from gateway.auth.keys import KeyMode

    settings = _settings()
    with runner.infrastructure(settings) as infra:
        account, _key, plaintext = _run_db(
            infra.settings,
            lambda db: create_account(
                db, secret=infra.settings.secret, name=name, email=email, key_mode=KeyMode(mode)
            ),
        )
    print(f"Account: {account.id}\nAPI key: {plaintext}  (shown once: store it now)")


@accounts_app.command("list")
def accounts_list() -> None:
    """List accounts (newest first, up to 100)."""
    from gateway.accounts.service import list_accounts
    from gateway.kit.pagination import Page

    with runner.infrastructure(_settings()) as infra:
        accounts = _run_db(infra.settings, lambda db: list_accounts(db, Page(limit=100)))
    for account in accounts:
        print(f"{account.id}  {account.name}  {account.email or ''}".rstrip())


@keys_app.command("create")
def keys_create(
    account: Annotated[str, typer.Option(help="The account (acct_…).")],
    name: Annotated[str, typer.Option(help="A name to recognise the key by.")] = "API key",
    mode: Annotated[str, typer.Option(help="test or live.")] = "test",
    rate_limit: Annotated[str | None, typer.Option(help="e.g. 100/second.")] = None,
    session: Annotated[str | None, typer.Option(help="Restrict to one session (ses_…).")] = None,
) -> None:
    """Create a full-access key for an account and print it (shown once)."""
    from gateway.accounts.service import get_account
    from gateway.api_keys.service import create_key
    from gateway.auth.keys import KeyMode

    settings = _settings()

    async def create(db: AsyncSession) -> str:
        await get_account(db, account)
        _key, plaintext = await create_key(
            db,
            account_id=account,
            secret=settings.secret,
            name=name,
            mode=KeyMode(mode),
            session_id=session,
            rate_limit=rate_limit,
        )
        return plaintext

    with runner.infrastructure(settings) as infra:
        plaintext = _run_db(infra.settings, create)
    print(f"API key: {plaintext}  (shown once: store it now)")


@keys_app.command("list")
def keys_list(account: Annotated[str, typer.Option(help="The account (acct_…).")]) -> None:
    """List an account's keys (newest first)."""
    from gateway.api_keys.repository import Reach
    from gateway.api_keys.service import list_keys
    from gateway.kit.pagination import Page

    with runner.infrastructure(_settings()) as infra:
        keys = _run_db(infra.settings, lambda db: list_keys(db, Reach(account), Page(limit=100)))
    for key in keys:
        state = "revoked" if key.revoked_at else "active"
        print(f"{key.id}  {key.redacted:<16} {key.mode:<4} {state:<7} {key.name}")


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key (key_…).")]) -> None:
    """Revoke a key; running API processes refuse it within a second."""
    from gateway.api_keys.service import revoke_any_key

    with runner.infrastructure(_settings()) as infra:
        _run_db(infra.settings, lambda db: revoke_any_key(db, key_id))
    print(f"Revoked {key_id}.")


BatchOption = Annotated[
    int, typer.Option(min=1, max=10_000, help="Rows read and rewritten per transaction.")
]


@secrets_app.command("reencrypt")
def secrets_reencrypt(batch_size: BatchOption = 500) -> None:
    """Re-encrypt every stored secret under the current key (the first of
    GATEWAY_SECRET_KEY) and re-digest cloud verify tokens; then report what still needs
    an old key. Safe to run again, and while the gateway serves."""
    from gateway.ops import secret_rotation

    settings = _settings()

    def progress(name: str, counts: secret_rotation.Counts) -> None:
        line = f"{name}: {counts.examined} examined, {counts.rewritten} rewritten"
        if counts.undecryptable:
            line += f", {counts.undecryptable} under no key of the keyring (left as they are)"
        print(line, flush=True)

    with runner.infrastructure(settings) as infra:
        print(f"Current key: {_key_name(infra.settings.secret)}", flush=True)
        report = _run_sessions(
            infra.settings,
            lambda maker: secret_rotation.reencrypt(
                maker, infra.settings.secrets, batch_size=batch_size, progress=progress
            ),
        )
        undecryptable = sum(counts.undecryptable for counts in report.kinds.values())
        status = _run_sessions(
            infra.settings,
            lambda maker: secret_rotation.status(maker, infra.settings.secrets),
        )
    _print_status(status)
    if undecryptable:
        raise typer.Exit(1)


@secrets_app.command("status")
def secrets_status() -> None:
    """Tell whether every key but the current one can be dropped from GATEWAY_SECRET_KEY;
    exits 1 while something stored still needs an old key. Reads only."""
    from gateway.ops import secret_rotation

    settings = _settings()
    with runner.infrastructure(settings) as infra:
        print(f"Current key: {_key_name(infra.settings.secret)}", flush=True)
        status = _run_sessions(
            infra.settings,
            lambda maker: secret_rotation.status(maker, infra.settings.secrets),
        )
    _print_status(status)
    if status.old_key_needed:
        raise typer.Exit(1)


def _key_name(secret: bytes) -> str:
    from gateway.kit.crypto import key_id_hex

    return f"id {key_id_hex(secret)}"


def _print_status(status: object) -> None:
    from gateway.ops.secret_rotation import Status

    assert isinstance(status, Status)
    lines = []
    for name, count in status.old_ciphertexts.items():
        if count:
            lines.append(f"  {name}: {count} not under the current key")
        if status.undecryptable.get(name):
            lines.append(f"  {name}: {status.undecryptable[name]} under no key of the keyring")
    if status.old_verify_digests:
        lines.append(f"  cloud verify-token digests: {status.old_verify_digests} under an old key")
    if status.old_api_keys:
        lines.append(
            f"  API keys: {status.old_api_keys} hashed under an old key; each is re-hashed "
            "when next used, or revoke it"
        )
    if status.unknown_api_keys:
        lines.append(
            f"  API keys: {status.unknown_api_keys} not used since key ids were recorded "
            "(hashed under the key current when they were made); each is stamped when next "
            "used, or revoke it"
        )
    if status.old_api_key_ids:
        lines.append("  e.g. " + ", ".join(status.old_api_key_ids))
    if not status.old_key_needed:
        print("Nothing stored needs an old key: every key but the first can be dropped.")
        return
    print("Still needing an old key (do not drop it yet):\n" + "\n".join(lines))


def _run_sessions(
    settings: Settings, work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]
) -> T:
    """Run ``work`` with a sessionmaker of its own (it commits as it goes)."""

    async def main() -> T:
        from gateway.db import create_engine, create_sessionmaker

        assert settings.database_url
        engine = create_engine(settings.database_url, pool_size=1)
        try:
            return await work(create_sessionmaker(engine))
        finally:
            await engine.dispose()

    return asyncio.run(main())


async def _bootstrap(db: AsyncSession, settings: Settings) -> str | None:
    """On the very first start, create a default account and a test key."""
    from gateway.accounts.service import create_account, has_accounts

    if await has_accounts(db):
        return None
    _account, _key, plaintext = await create_account(
        db, secret=settings.secret, name="Default account", key_name="Quickstart key"
    )
    return plaintext


def _print_banner(settings: Settings, first_key: str | None) -> None:
    base = settings.base_url
    lines = [
        "",
        "  Gateway is running.",
        f"    API:       {base}/v1",
        f"    Swagger:   {base}/docs",
        f"    Dashboard: {base}/dashboard (sign in with an API key)",
    ]
    if first_key:
        lines += [
            f"    API key:   {first_key}",
            "               (a test-mode key, shown only this once: store it now)",
            "",
            f'  Try it:  curl -H "Authorization: Bearer {first_key}" {base}/v1/account',
        ]
    else:
        lines.append("    API key:   create one with `gateway keys create --account acct_…`")
    lines += ["", "  Press Ctrl-C to stop.", ""]
    print("\n".join(lines), flush=True)


def _run_db(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one committed transaction, then push what it deferred."""

    async def main() -> T:
        from gateway.db import create_engine, create_sessionmaker
        from gateway.kit import actor
        from gateway.kit.aftercommit import run_after_commit
        from gateway.kit.errors import GatewayError

        assert settings.database_url
        assert settings.redis_url
        engine = create_engine(settings.database_url, pool_size=1)
        redis = await create_pool(RedisSettings.from_dsn(settings.redis_url))
        try:
            async with create_sessionmaker(engine)() as db:
                # The operator at the console: audited as the operator, through the CLI.
                actor.bind(db, actor.Actor("admin", via="cli"))
                try:
                    result = await work(db)
                except GatewayError as exc:
                    raise typer.BadParameter(exc.message) from None
                await db.commit()
                await run_after_commit(db, redis)
                return result
        finally:
            await redis.aclose()
            await engine.dispose()

    return asyncio.run(main())


@app.command("fake-graph")
def fake_graph(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8789,
    webhook_url: Annotated[
        str | None,
        typer.Option(help="Where to POST notifications, e.g. the gateway's /v1/cloud/webhook."),
    ] = None,
) -> None:
    """A local fake of Meta's WhatsApp Cloud API with one demo number (no Meta account)."""
    import uvicorn

    from gateway.fakes.graph import FakeGraph, create_app

    configure_logging("INFO", "console")
    fake = FakeGraph()
    number = fake.add_number(verified_name="Demo Business", webhook_url=webhook_url)
    cloud = {
        "phone_number_id": number.phone_number_id,
        "waba_id": number.waba_id,
        "access_token": number.access_token,
        "app_secret": number.app_secret,
        "verify_token": number.verify_token,
        "graph_base_url": f"http://{host}:{port}",
    }
    print("Session config for POST /v1/sessions:")
    print(json.dumps({"engine": "cloud", "config": {"cloud": cloud}}, indent=2), flush=True)
    uvicorn.run(create_app(fake), host=host, port=port, log_config=None, access_log=False)


@app.command("fake-stripe")
def fake_stripe(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8790,
    webhook_url: Annotated[
        str | None,
        typer.Option(help="Where to POST signed events, e.g. the gateway's Stripe webhook."),
    ] = None,
) -> None:
    """A local fake of Stripe's API (test mode) with a demo plan (no Stripe account)."""
    import uvicorn

    from gateway.fakes.stripe import FakeStripe, create_app

    configure_logging("INFO", "console")
    fake = FakeStripe(webhook_url=webhook_url)
    price = fake.add_price(unit_amount=2900, product_name="Pro", lookup_key="pro_monthly")
    meter_event_name = Settings.model_fields["stripe_meter_event_name"].default
    metered = fake.add_price(
        unit_amount=1, product_name="Messages", meter_event_name=meter_event_name
    )
    print("Settings for the gateway (then point a paid plan at the prices, docs/billing.md):")
    for name, value in (
        ("GATEWAY_STRIPE_API_BASE", f"http://{host}:{port}"),
        ("GATEWAY_STRIPE_SECRET_KEY", fake.api_key),
        ("GATEWAY_STRIPE_WEBHOOK_SECRET", fake.webhook_secret),
        ("GATEWAY_STRIPE_METER_EVENT_NAME", meter_event_name),
    ):
        print(f"  {name}={value}")
    print(f"Prices: stripe_price_id={price['id']}  stripe_overage_price_id={metered['id']}")
    print(
        f"Control routes: POST http://{host}:{port}/_fake/... (see gateway.fakes.stripe)",
        flush=True,
    )
    uvicorn.run(create_app(fake), host=host, port=port, log_config=None, access_log=False)


def main() -> None:
    app()
