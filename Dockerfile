FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=census_coord.settings.production

# WeasyPrint (PDF acts and certificates) needs Pango; gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic needs the production settings, which refuse a short key: a throwaway one.
RUN DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput \
    && useradd --system --home /app census \
    && mkdir -p /app/var/media && chown -R census /app/var

USER census
EXPOSE 8000
# gunicorn.conf.py: bind, workers, timeout, and an access log without query strings.
CMD ["gunicorn", "census_coord.wsgi", "--config", "gunicorn.conf.py"]
