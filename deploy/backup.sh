#!/usr/bin/env bash
# Back up OTOP Center: the database (pg_dump, custom format) and every uploaded file (public and private
# media, from disk or the buckets) into one dated folder. Run from the project directory with the app's
# environment (DATABASE_URL, MEDIA_STORAGE, AWS_*): deploy/backup.sh /var/backups/otop
set -euo pipefail
target=${1:?usage: deploy/backup.sh BACKUP_DIRECTORY}
python=${PYTHON:-.venv/bin/python}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
folder="$target/$stamp"
mkdir -p "$folder"
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$folder/otop.pgdump"
"$python" manage.py copy_media --to "$folder/media" >/dev/null
echo "$folder"
