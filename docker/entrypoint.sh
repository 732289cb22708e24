#!/bin/sh
# Container start: migrate, then serve (app/web/serving.py: gunicorn's master builds the app once and
# forks WEB_CONCURRENCY uvicorn workers that share it). No access log (no client addresses);
# X-Forwarded-* trusted only from FORWARDED_ALLOW_IPS (the TLS proxy); graceful shutdown.
# In production (the image's default) SECRET_KEY and PUBLIC_BASE_URL are required: migrate is
# the first command to read the settings, and stops the container with a line naming each one
# that is missing or unsafe.
set -eu
python -m app.cli migrate
exec python -m app.cli serve \
  --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" \
  --workers "${WEB_CONCURRENCY:-2}" \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
  --limit-concurrency "${LIMIT_CONCURRENCY:-200}"
