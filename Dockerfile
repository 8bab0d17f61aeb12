# misinfo-signals HTTP service: gunicorn serving the shipped model, as `make serve` does.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app

WORKDIR /app

# Runtime dependencies only, pinned by the same constraints file the Makefile installs from.
COPY constraints.txt pyproject.toml README.md /tmp/src/
COPY service /tmp/src/service
RUN pip install --no-cache-dir -c /tmp/src/constraints.txt /tmp/src && rm -rf /tmp/src

COPY gunicorn.conf.py ./
COPY models ./models

# The package is installed into site-packages, so point it at the model copied beside it.
ENV MISINFO_MODEL_DIR=/app/models/misinfo-signals-v1

USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; bind = os.environ.get('MISINFO_BIND') or '0.0.0.0:' + os.environ.get('PORT', '8000'); urllib.request.urlopen('http://127.0.0.1:' + bind.rsplit(':', 1)[1] + '/healthz', timeout=4)"]

CMD ["gunicorn", "-c", "gunicorn.conf.py", "service:create_app()"]
