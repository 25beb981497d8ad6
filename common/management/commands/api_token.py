"""``manage.py api_token issue USERNAME --name NAME`` | ``revoke PREFIX`` | ``list [USERNAME]``."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from common.errors import DomainError
from common.models import ApiToken
from common.tokens import api_token_issue, api_token_revoke


class Command(BaseCommand):
    help = "Issue, revoke or list API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="Issue a token; it is printed once.")
        issue.add_argument("username")
        issue.add_argument("--name", required=True, help="What the token is for.")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix (dcm_XXXXXXXX).")
        revoke.add_argument("prefix")
        listing = sub.add_parser("list", help="List tokens (prefix, name, user, state).")
        listing.add_argument("username", nargs="?")

    def handle(self, *args, **opts) -> None:
        now = timezone.now()
        if opts["action"] == "issue":
            user = get_user_model().objects.filter(username=opts["username"]).first()
            if user is None:
                raise CommandError(f"No user {opts['username']!r}.")
            try:
                issued = api_token_issue(user=user, name=opts["name"], actor=None, now=now)
            except DomainError as exc:
                raise CommandError(exc.message) from None
            self.stderr.write(f"Issued {issued.token.prefix} for {user}. Shown once:")
            self.stdout.write(issued.clear)
        elif opts["action"] == "revoke":
            token = ApiToken.objects.filter(prefix=opts["prefix"]).first()
            if token is None:
                raise CommandError(f"No token with prefix {opts['prefix']!r}.")
            api_token_revoke(token_id=token.pk, actor=None, now=now)
            self.stdout.write(f"Revoked {token.prefix} ({token.name}, {token.user}).")
        else:
            tokens = ApiToken.objects.select_related("user")
            if opts["username"]:
                tokens = tokens.filter(user__username=opts["username"])
            for t in tokens:
                state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
                self.stdout.write(f"{t.prefix}\t{t.user}\t{t.name}\t{state}\tlast used {used}")
