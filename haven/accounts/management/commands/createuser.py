from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from pydantic import ValidationError

from haven.accounts import services
from haven.accounts.models import Rank, Team
from haven.accounts.schemas import UserOnServerIn
from haven.core.errors import ValidationFailed
from haven.core.operations import field_errors
from haven.core.permissions import Role


class Command(BaseCommand):
    help = (
        "Create a Haven user from the server (e.g. the first administrator). "
        "They enrol a second factor at first sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", action="append", default=[], choices=Role.values, dest="roles")
        parser.add_argument("--rank", help="Rank code, e.g. PS")
        parser.add_argument("--team", help="Team code, e.g. IMU")
        parser.add_argument(
            "--password-env", help="Read the password from this environment variable instead of asking."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["password_env"]:
            password = os.environ.get(options["password_env"], "")
        else:
            password = getpass.getpass("Password: ")
        if options["rank"] and not Rank.objects.filter(code=options["rank"]).exists():
            raise CommandError(f"No rank with code {options['rank']}.")
        if options["team"] and not Team.objects.filter(code=options["team"]).exists():
            raise CommandError(f"No team with code {options['team']}.")
        values = {
            "username": options["username"],
            "first_name": options["first_name"],
            "last_name": options["last_name"],
            "email": options["email"],
            "password": password,
            "rank": options["rank"],
            "team": options["team"],
            "roles": options["roles"],
        }
        try:
            data = UserOnServerIn.model_validate(values)
            user = services.user_create(actor=None, data=data)
        except ValidationError as exc:
            raise CommandError(f"Check the details: {field_errors(exc)}") from exc
        except ValidationFailed as exc:
            raise CommandError(f"{exc.message} {exc.fields}") from exc
        self.stdout.write(f"Created {user.username}.")
