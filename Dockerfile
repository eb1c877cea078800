# syntax=docker/dockerfile:1
#
# One image for every process of the platform: each BFF role
# (`python -m bff.<customer|restaurant|driver> --roles api|listener|trigger`) and the
# event lake listener (`python -m listeners.lake`). docker-compose.yml picks the command.
#
#   docker build -t food-delivery .
#   docker run --rm -p 127.0.0.1:8001:8000 food-delivery   # customer, all roles
#
# Stages: the three frontends built with Node; the Python environment installed
# with uv from uv.lock; a slim runtime that gets both, runs as a non-root user and
# holds no package-manager caches (they live in BuildKit cache mounts).

ARG PYTHON_IMAGE=python:3.11-slim
ARG NODE_IMAGE=node:20-slim

# --- frontends: one npm workspace, built with Vite into frontends/<app>/dist ---------
FROM ${NODE_IMAGE} AS frontends
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /src/frontends
COPY frontends/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci && npm run build

# --- builder: the locked Python environment in /app/.venv ---------------------------
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
RUN pip install uv==0.13.8
WORKDIR /app
# dependencies first: this layer is reused until pyproject.toml or uv.lock change
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project
# then the project itself, installed editable so that its code, data files and the
# frontends it serves stay at the paths they have in the repo (/app/<package>)
COPY events ./events
COPY adapters ./adapters
COPY listeners ./listeners
COPY bff ./bff
COPY devstack ./devstack
COPY analytics ./analytics
COPY observability ./observability
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev

# --- runtime --------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="food-delivery" \
      org.opencontainers.image.description="Event-first food delivery platform: BFFs and the event lake listener"
ENV PATH=/app/.venv/bin:$PATH \
    VIRTUAL_ENV=/app/.venv \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    FD_BIND_HOST=0.0.0.0 \
    FD_HTTP_PORT=8000 \
    FD_LAKE_DIR=/data/lake
# an unprivileged user; the code stays root-owned and read-only to it. /data/lake is
# created owned by it so a named volume mounted there starts out writable.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin app \
    && mkdir -p /data/lake \
    && chown app:app /data/lake
WORKDIR /app
# the environment and the project's packages, at the same paths as in the builder
COPY --from=builder /app /app
COPY --from=frontends /src/frontends/customer/dist /app/frontends/customer/dist
COPY --from=frontends /src/frontends/restaurant/dist /app/frontends/restaurant/dist
COPY --from=frontends /src/frontends/driver/dist /app/frontends/driver/dist
USER 10001:10001
EXPOSE 8000
CMD ["python", "-m", "bff.customer", "--roles", "api,listener,trigger"]
