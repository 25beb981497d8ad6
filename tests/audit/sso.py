"""Signing in through the test identity provider: the browser's part at the provider is played
by ``requests`` (its sign-in form), the product's part by the Django test client."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import requests
from allauth.socialaccount.models import SocialApp

from tests.oidc_provider_project.running import CLIENT_ID, CLIENT_SECRET

PROVIDER_ID = "strict-idp"
IDP_PASSWORD = "idp-password"
IDP_USERS = [
    {"username": "ann", "email": "Ann.Member@strict.example", "password": IDP_PASSWORD},
    {"username": "stranger", "email": "stranger@elsewhere.example", "password": IDP_PASSWORD},
    {
        "username": "unverified",
        "email": "unverified@strict.example",
        "password": IDP_PASSWORD,
        "last_name": "unverified",
    },
]


def link_identity_provider(firm, provider) -> SocialApp:
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=PROVIDER_ID,
        name=f"{firm.name} sign-in",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": provider.issuer},
    )
    firm.identity_provider = app
    firm.save(update_fields=["identity_provider"])
    return app


def sign_in_through_idp(client, username: str):
    """Start at the product, sign in at the provider, come back: the product's last answer."""
    start = client.get(f"/accounts/oidc/{PROVIDER_ID}/login/")
    assert start.status_code == 302, start
    browser = requests.Session()
    at_idp = browser.get(start["Location"], allow_redirects=False)
    login_page = browser.get(_absolute(start["Location"], at_idp.headers["Location"]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    next_url = re.search(r'name="next" value="([^"]+)"', login_page.text).group(1)
    signed = browser.post(
        login_page.url,
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": IDP_PASSWORD,
            "next": next_url.replace("&amp;", "&"),
        },
        headers={"Referer": login_page.url},
        allow_redirects=False,
    )
    assert signed.status_code == 302, signed.text[:500]
    back = browser.get(_absolute(login_page.url, signed.headers["Location"]), allow_redirects=False)
    callback = urlsplit(back.headers["Location"])
    assert callback.netloc == "testserver", back.headers["Location"]
    return client.get(f"{callback.path}?{callback.query}")


def _absolute(base: str, location: str) -> str:
    if location.startswith("http"):
        return location
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}{location}"
