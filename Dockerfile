# misinfo-signals HTTP service: gunicorn serving the shipped model, as `make serve` does.

# Build stage: the package has a C extension (the feature-extraction loops), so its wheel is
# compiled here, with a compiler the served image never carries.
FROM python:3.11-slim AS build
# Unpinned on purpose: the compiler only builds the wheel and follows the base image's Debian.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml setup.py README.md /tmp/src/
COPY service /tmp/src/service
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /tmp/wheels /tmp/src

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app

WORKDIR /app

# Runtime dependencies only, pinned by the same constraints file the Makefile installs from.
COPY constraints.txt /tmp/src/
COPY --from=build /tmp/wheels /tmp/src/wheels
RUN pip install --no-cache-dir -c /tmp/src/constraints.txt /tmp/src/wheels/*.whl && rm -rf /tmp/src

COPY gunicorn.conf.py ./
COPY models ./models

# The package is installed into site-packages, so point it at the model copied beside it.
ENV MISINFO_MODEL_DIR=/app/models/misinfo-signals-v1

USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; bind = os.environ.get('MISINFO_BIND') or '0.0.0.0:' + os.environ.get('PORT', '8000'); urllib.request.urlopen('http://127.0.0.1:' + bind.rsplit(':', 1)[1] + '/healthz', timeout=4)"]

CMD ["gunicorn", "-c", "gunicorn.conf.py", "service:create_app()"]
