from django.core.management.base import BaseCommand, CommandError

from otop.accounts.models import User
from otop.accounts.services import issue_api_token


class Command(BaseCommand):
    help = "Issue a bearer token for an integration; the key is printed once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'LINE bot'.")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        _token, key = issue_api_token(user=user, name=name)
        self.stdout.write(key)
