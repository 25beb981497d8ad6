def userinfo(claims, user):
    """The e-mail claims: verified unless the user's last name says otherwise (a test case)."""
    claims["email"] = user.email
    claims["email_verified"] = user.last_name != "unverified"
    claims["name"] = user.get_full_name()
    return claims
