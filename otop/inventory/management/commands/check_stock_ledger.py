from django.core.management.base import BaseCommand, CommandError

from otop.inventory.ledger import ledger_mismatches


class Command(BaseCommand):
    help = "Prove every stock level equals the sum of its ledger moves (exit 1 and list them if not)."

    def handle(self, *args, **options):
        mismatches = ledger_mismatches()
        for m in mismatches:
            self.stderr.write(
                f"variant {m.variant_id} at location {m.location_id}: "
                f"{m.field} is {m.recorded}, ledger says {m.expected}"
            )
        if mismatches:
            raise CommandError(f"{len(mismatches)} stock levels disagree with the ledger.")
        self.stdout.write("Stock levels agree with the ledger.")
