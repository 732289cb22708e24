#!/bin/sh
# Container start: migrate, then serve. Uvicorn keeps no access log (no client addresses), trusts
# X-Forwarded-* only from FORWARDED_ALLOW_IPS (the TLS proxy), and shuts down gracefully.
# In production (the image's default) SECRET_KEY and PUBLIC_BASE_URL are required: migrate is
# the first command to read the settings, and stops the container with a line naming each one
# that is missing or unsafe.
set -eu
python -m app.cli migrate
exec uvicorn app.main:app_from_env --factory \
  --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" \
  --workers "${WEB_CONCURRENCY:-2}" \
  --no-access-log --proxy-headers --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
  --timeout-graceful-shutdown 20 --limit-concurrency "${LIMIT_CONCURRENCY:-200}"
