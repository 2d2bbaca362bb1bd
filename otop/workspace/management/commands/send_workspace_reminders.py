from django.core.management.base import BaseCommand

from otop.workspace.services import send_due_reminders


class Command(BaseCommand):
    help = "Send the day-before reminders of tomorrow's room bookings that are due and not yet sent."

    def handle(self, *args, **options):
        sent = send_due_reminders()
        self.stdout.write(f"{sent} booking reminders sent.")
