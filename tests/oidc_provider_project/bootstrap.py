"""Set the provider up: its signing key, one client (the product) and its users.

python -m tests.oidc_provider_project.bootstrap CLIENT_ID SECRET REDIRECT_URI USERS_JSON
"""

import json
import sys

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oidc_provider.models import Client, ResponseType  # noqa: E402


def main(client_id: str, secret: str, redirect_uris: str, users: str) -> None:
    call_command("migrate", verbosity=0)
    call_command("creatersakey")
    client = Client.objects.create(
        name="DISP case manager",
        client_type="confidential",
        client_id=client_id,
        client_secret=secret,
        jwt_alg="RS256",
        require_consent=False,
        _redirect_uris=redirect_uris.replace(",", "\n"),
        _scope="openid email profile",
    )
    client.response_types.add(ResponseType.objects.get(value="code"))
    for u in json.loads(users):
        get_user_model().objects.create_user(**u)


if __name__ == "__main__":
    main(*sys.argv[1:])
