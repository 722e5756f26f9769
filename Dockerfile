# Production image: the API by default (`gateway migrate`, then `gateway api`); run the
# worker from the same image with the command `gateway worker`.
#
#   docker build -t gateway .
#   docker run -e GATEWAY_DATABASE_URL=… -e GATEWAY_REDIS_URL=… -e GATEWAY_SECRET_KEY=… \
#       -p 8000:8000 gateway

# --- builder: install the package and its dependencies into a virtualenv -----------------
FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv && pip install --upgrade pip

WORKDIR /build

# Dependencies first, at the versions and hashes of the lock file (`make lock` writes it from
# pyproject.toml's ranges), so a code change does not reinstall them and every build gets the
# same ones.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

# The package itself. hatchling reads README.md (the project's readme) and force-includes
# migrations/ and alembic.ini into the wheel as gateway/_migrations, so `gateway migrate`
# works from the installed package without the source tree.
COPY pyproject.toml README.md alembic.ini ./
COPY migrations ./migrations
COPY src ./src
RUN pip install --no-deps . \
    && python -c "import gateway, pathlib; assert (pathlib.Path(gateway.__file__).parent / '_migrations' / 'env.py').is_file()"

# --- runtime ---------------------------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    GATEWAY_ENV=production \
    GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=8000 \
    GATEWAY_DATA_DIR=/var/lib/gateway

# A fixed numeric uid, so orchestrators can verify the image does not run as root.
RUN groupadd --system --gid 10001 gateway \
    && useradd --system --uid 10001 --gid gateway --home-dir /var/lib/gateway \
        --no-create-home --shell /usr/sbin/nologin gateway \
    && mkdir -p /var/lib/gateway \
    && chown gateway:gateway /var/lib/gateway

COPY --from=builder /opt/venv /opt/venv

# The working directory is also where settings look for a `.env` file; none is shipped.
WORKDIR /var/lib/gateway
USER 10001:10001

EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('GATEWAY_PORT', '8000'), timeout=4)"]

# `exec` hands PID 1 to the gateway, so `docker stop` (SIGTERM) shuts it down gracefully.
CMD ["sh", "-c", "gateway migrate && exec gateway api"]
