"""Bearer tokens: who is calling, and whether this BFF serves them.

A token is a JWT with the claims ``sub`` (the actor's id), ``role`` (customer, restaurant
or driver), ``name`` and ``exp``, for the audience ``FD_AUTH_AUDIENCE`` from the issuer
``FD_AUTH_ISSUER``. In ``local`` mode tokens are HS256, signed with ``FD_AUTH_SECRET`` by
the dev sign-in (``bff.kit.signin``); in ``issuer`` mode they are verified against the
identity provider's ``FD_AUTH_PUBLIC_KEY`` (PEM) or ``FD_AUTH_JWKS_URL``. Each BFF accepts
only its own role: a valid token of another role is refused (``WrongRole``).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import jwt

from adapters.settings import Settings

#: the actor roles of the platform, one per BFF
ROLES = ("customer", "restaurant", "driver")


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated caller."""

    id: str
    role: str
    name: str

    @property
    def scope(self) -> str:
        """The live-update scope of the actor's own data, e.g. ``restaurant:r-1``."""
        return f"{self.role}:{self.id}"


class AuthError(Exception):
    """The token is missing, malformed, expired, forged or not for us (HTTP 401)."""

    status = 401


class WrongRole(AuthError):
    """A valid token for another actor role (HTTP 403)."""

    status = 403


class Authenticator:
    """Verifies tokens for one BFF's ``role`` (and issues them in local mode)."""

    def __init__(self, settings: Settings, role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"unknown actor role {role!r}; expected one of {ROLES}")
        self.role = role
        self.local = settings.auth_mode == "local"
        self._settings = settings
        self._jwks: jwt.PyJWKClient | None = None
        if self.local:
            self._key: Any = settings.auth_secret
            self._algorithms = ["HS256"]
        elif settings.auth_public_key:
            self._key = settings.auth_public_key
            self._algorithms = list(settings.auth_algorithms)
        elif settings.auth_jwks_url:
            self._jwks = jwt.PyJWKClient(settings.auth_jwks_url, timeout=5)
            self._algorithms = list(settings.auth_algorithms)
        else:
            raise ValueError("FD_AUTH_MODE=issuer needs FD_AUTH_PUBLIC_KEY or FD_AUTH_JWKS_URL")

    def issue(self, actor_id: str, name: str, *, ttl_seconds: int | None = None) -> str:
        """A signed token for an actor of this BFF's role (local mode only)."""
        if not self.local:
            raise RuntimeError("tokens are issued by the identity provider in issuer mode")
        now = int(time.time())
        ttl = self._settings.auth_token_ttl_seconds if ttl_seconds is None else ttl_seconds
        claims = {
            "sub": actor_id,
            "role": self.role,
            "name": name,
            "iat": now,
            "exp": now + ttl,
            "iss": self._settings.auth_issuer,
            "aud": self._settings.auth_audience,
        }
        return jwt.encode(claims, self._settings.auth_secret, algorithm="HS256")

    async def verify(self, token: str) -> Actor:
        """The actor a token names; AuthError if it is not valid, WrongRole if not ours."""
        try:
            key = self._key if self._jwks is None else await self._jwks_key(token)
            claims = jwt.decode(
                token,
                key,
                algorithms=self._algorithms,
                audience=self._settings.auth_audience,
                issuer=self._settings.auth_issuer,
                options={"require": ["exp", "sub", "role", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthError("the token has expired; sign in again") from exc
        except jwt.PyJWTError as exc:
            raise AuthError(f"invalid token: {exc}") from exc
        role, sub = claims.get("role"), claims.get("sub")
        if not isinstance(role, str) or not isinstance(sub, str) or not sub:
            raise AuthError("invalid token: 'sub' and 'role' must be strings")
        if role != self.role:
            raise WrongRole(f"a {role} token cannot be used here; this app serves {self.role}s")
        name = claims.get("name")
        return Actor(id=sub, role=role, name=name if isinstance(name, str) else sub)

    async def from_authorization(self, value: object) -> Actor | None:
        """The actor of an ``Authorization: Bearer <token>`` value; None when absent."""
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise AuthError("the authorization must be a string 'Bearer <token>'")
        scheme, _, token = value.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthError("the authorization must be 'Bearer <token>'")
        return await self.verify(token.strip())

    async def _jwks_key(self, token: str) -> Any:
        assert self._jwks is not None
        jwks = self._jwks
        # PyJWKClient fetches (and caches) the key set with blocking I/O: keep it off the loop
        signing_key = await asyncio.to_thread(jwks.get_signing_key_from_jwt, token)
        return signing_key.key
