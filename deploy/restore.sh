#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into the EMPTY database DATABASE_URL names (create it first)
# and the media storages: deploy/restore.sh /var/backups/otop/20261205T031500Z
# The app servers, workers and clocks stay stopped until it finishes.
set -euo pipefail
folder=${1:?usage: deploy/restore.sh BACKUP_FOLDER}
python=${PYTHON:-.venv/bin/python}
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$folder/otop.pgdump"
"$python" manage.py copy_media --from "$folder/media" >/dev/null
# Migrations newer than the backup, if the code moved on since.
"$python" manage.py migrate --noinput -v0
echo "restored $folder"
