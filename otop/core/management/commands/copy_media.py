"""Copy every uploaded file between the media storages and a directory: the media half of a backup and
of a restore (deploy/backup.sh, deploy/restore.sh). Works the same for the disk and for S3 buckets."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.management.base import BaseCommand, CommandError

# The storages that hold uploads; the directory keeps one folder for each.
MEDIA_STORAGES = ("default", "private")


def stored_names(storage: Storage, folder: str = "") -> list[str]:
    directories, files = storage.listdir(folder)
    names = [f"{folder}{name}" for name in files]
    for directory in directories:
        names += stored_names(storage, f"{folder}{directory}/")
    return names


class Command(BaseCommand):
    help = "Copy the uploaded media (public and private) to a directory, or back from one."

    def add_arguments(self, parser):
        direction = parser.add_mutually_exclusive_group(required=True)
        direction.add_argument("--to", dest="target", help="Directory to copy the media into (a backup).")
        direction.add_argument("--from", dest="source", help="Directory to copy the media back from (a restore).")

    def handle(self, *args, target: str | None, source: str | None, **options):
        copied = 0
        for alias in MEDIA_STORAGES:
            storage = storages[alias]
            if target:
                root = Path(target) / alias
                for name in stored_names(storage):
                    destination = root / name
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    with storage.open(name, "rb") as stored:
                        destination.write_bytes(stored.read())
                    copied += 1
            else:
                root = Path(source) / alias
                if not Path(source).is_dir():
                    raise CommandError(f"no such directory: {source}")
                for path in sorted(p for p in root.rglob("*") if p.is_file()):
                    name = path.relative_to(root).as_posix()
                    if storage.exists(name):
                        storage.delete(name)  # the backup's copy wins; the name must stay the same
                    with path.open("rb") as handle:
                        saved = storage.save(name, File(handle))
                    if saved != name:
                        raise CommandError(f"{alias}: {name} was stored as {saved}")
                    copied += 1
        self.stdout.write(f"{copied} files copied")
