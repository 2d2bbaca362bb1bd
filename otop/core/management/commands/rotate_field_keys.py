"""Re-encrypt every encrypted field with the newest key of FIELD_ENCRYPTION_KEYS (after adding one)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from otop.core.encryption import encrypted_fields, reencrypt_rows


class Command(BaseCommand):
    help = "Re-encrypt national ID, buyer tax ID and bank account numbers (and lookup digests) with the newest key."

    def handle(self, *args, **options) -> None:
        total = 0
        for model, field in encrypted_fields():
            rewritten = reencrypt_rows(model, field.name)
            total += rewritten
            self.stdout.write(f"{model._meta.label}.{field.name}: {rewritten} re-encrypted")
        self.stdout.write(
            f"{total} value(s) now under the newest key; older keys can be removed once every server has restarted."
        )
