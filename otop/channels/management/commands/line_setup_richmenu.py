"""Upload the LINE rich menu (layout JSON + drawn image) and make it every user's default."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from otop.channels.line import richmenu
from otop.channels.line.client import LineNotConfigured, LineRefused, line_client
from otop.notifications.channels import TemporaryFailure


class Command(BaseCommand):
    help = "Draw the rich menu, upload it to LINE with its layout, make it the default and remove the old one."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--image-only", metavar="FILE", help="only draw the image into FILE (no LINE call)")

    def handle(self, *args, image_only: str | None = None, **options) -> None:
        data = richmenu.layout()
        png = richmenu.draw(data)
        if image_only:
            Path(image_only).write_bytes(png)
            self.stdout.write(f"drew {image_only} ({len(png) // 1024} KB)")
            return
        menu = richmenu.line_rich_menu(data)
        try:
            client = line_client()
            client.validate_rich_menu(menu)
            old = [rich_menu_id for rich_menu_id, name in client.rich_menus() if name == menu["name"]]
            rich_menu_id = client.create_rich_menu(menu)
            client.upload_rich_menu_image(rich_menu_id=rich_menu_id, png=png)
            client.set_default_rich_menu(rich_menu_id=rich_menu_id)
            for previous in old:
                client.delete_rich_menu(rich_menu_id=previous)
        except (LineNotConfigured, LineRefused, TemporaryFailure) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"rich menu {rich_menu_id} is the default ({len(png) // 1024} KB image, {len(old)} old removed)"
        )
