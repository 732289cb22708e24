# Puente: a slim image that runs as a non-root user, compiles catalogs at build and migrates at
# start. Build: docker build -t puente .   Run: see the README (Deploy).
# Production is the default here, so SECRET_KEY (32+ random characters) and PUBLIC_BASE_URL
# (https://your.site) are required at run time: without them the container stops at start-up.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    ENVIRONMENT=production
WORKDIR /srv/puente

COPY requirements.txt ./
RUN pip install --require-hashes -r requirements.txt

COPY app ./app
COPY templates ./templates
COPY static ./static
COPY locales ./locales
COPY migrations ./migrations
COPY alembic.ini babel.cfg docker/entrypoint.sh ./
RUN python -m app.cli i18n compile \
    && python -m app.places.zip_index \
    && useradd --system --uid 10001 --home-dir /srv/puente puente \
    && mkdir -p /srv/puente/var && chown puente /srv/puente/var

USER puente
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
ENTRYPOINT ["./entrypoint.sh"]
