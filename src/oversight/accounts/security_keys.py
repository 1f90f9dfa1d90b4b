"""WebAuthn security keys (py_webauthn): registering one, and signing in with it.

The relying party is the host the user reached us on; WebAuthn needs a domain name (localhost
counts), so a page served on a bare IP address offers only the authenticator app.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    UserVerificationRequirement,
)

from oversight.accounts.models import SecurityKey, User
from oversight.kit.errors import Invalid

REGISTRATION_CHALLENGE = "oversight_webauthn_registration"
AUTHENTICATION_CHALLENGE = "oversight_webauthn_authentication"
RP_NAME = "Oversight"


def relying_party(request: HttpRequest) -> tuple[str, str] | None:
    """(rp_id, origin) for this request, or None where WebAuthn cannot work (an IP address)."""
    host = request.get_host().rsplit(":", 1)[0] if not request.get_host().startswith("[") else ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if host:
            scheme = "https" if request.is_secure() else "http"
            return host, f"{scheme}://{request.get_host()}"
    return None


def _require_party(request: HttpRequest) -> tuple[str, str]:
    party = relying_party(request)
    if party is None:
        raise Invalid({"host": "security keys need the site to be opened by its name, not an IP address"})
    return party


def registration_options(request: HttpRequest, user: User) -> str:
    rp_id, _ = _require_party(request)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=RP_NAME,
        user_id=str(user.pk).encode(),
        user_name=user.username,
        user_display_name=user.full_name(),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=bytes(key.credential_id)) for key in SecurityKey.objects.filter(user=user)
        ],
        authenticator_selection=AuthenticatorSelectionCriteria(user_verification=UserVerificationRequirement.PREFERRED),
    )
    request.session[REGISTRATION_CHALLENGE] = options.challenge.hex()
    return options_to_json(options)


def register(request: HttpRequest, user: User, credential: dict[str, Any], name: str) -> SecurityKey:
    rp_id, origin = _require_party(request)
    challenge = request.session.pop(REGISTRATION_CHALLENGE, None)
    if not isinstance(challenge, str):
        raise Invalid({"credential": "start the registration again"})
    try:
        verified = verify_registration_response(
            credential=json.dumps(credential),
            expected_challenge=bytes.fromhex(challenge),
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as error:
        raise Invalid({"credential": f"the security key's answer was not accepted: {error}"}) from None
    transports = credential.get("response", {}).get("transports", []) if isinstance(credential, dict) else []
    key: SecurityKey = SecurityKey.objects.create(
        user=user,
        name=(name.strip() or "security key")[:64],
        confirmed=True,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=transports if isinstance(transports, list) else [],
        created_at=timezone.now(),
    )
    return key


def authentication_options(request: HttpRequest, user: User) -> str:
    rp_id, _ = _require_party(request)
    keys = SecurityKey.objects.filter(user=user, confirmed=True)
    options = generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=[PublicKeyCredentialDescriptor(id=bytes(key.credential_id)) for key in keys],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[AUTHENTICATION_CHALLENGE] = options.challenge.hex()
    return options_to_json(options)


def authenticate(request: HttpRequest, user: User, credential: dict[str, Any]) -> SecurityKey | None:
    """The user's key that produced this assertion, with its counter moved on; None if refused."""
    party = relying_party(request)
    challenge = request.session.pop(AUTHENTICATION_CHALLENGE, None)
    if party is None or not isinstance(challenge, str) or not isinstance(credential, dict):
        return None
    try:
        raw_id = base64url_to_bytes(str(credential.get("rawId") or credential.get("id") or ""))
    except ValueError:
        return None
    key: SecurityKey | None = SecurityKey.objects.filter(user=user, confirmed=True, credential_id=raw_id).first()
    if key is None:
        return None
    try:
        verified = verify_authentication_response(
            credential=json.dumps(credential),
            expected_challenge=bytes.fromhex(challenge),
            expected_rp_id=party[0],
            expected_origin=party[1],
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=key.sign_count,
        )
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError):
        return None
    SecurityKey.objects.filter(pk=key.pk).update(sign_count=verified.new_sign_count, last_used_at=timezone.now())
    return key
