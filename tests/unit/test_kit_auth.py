"""Bearer tokens: issued and verified locally, verified against an issuer's public key;
other roles, expired, forged and malformed tokens are refused."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from adapters.settings import Settings
from bff.kit.auth import Actor, Authenticator, AuthError, WrongRole

LOCAL = Settings(auth_mode="local", auth_secret="s" * 48)


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "sub": "r-1",
        "role": "restaurant",
        "name": "Trattoria",
        "exp": now + 60,
        "iss": LOCAL.auth_issuer,
        "aud": LOCAL.auth_audience,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


async def test_an_issued_token_names_its_actor() -> None:
    auth = Authenticator(LOCAL, "restaurant")
    token = auth.issue("r-1", "Trattoria")
    actor = await auth.verify(token)
    assert actor == Actor(id="r-1", role="restaurant", name="Trattoria")
    assert actor.scope == "restaurant:r-1"
    assert await auth.from_authorization(f"Bearer {token}") == actor


async def test_a_token_of_another_role_is_refused_with_403() -> None:
    customer_token = Authenticator(LOCAL, "customer").issue("c-1", "Ada")
    with pytest.raises(WrongRole, match="customer token") as refused:
        await Authenticator(LOCAL, "restaurant").verify(customer_token)
    assert refused.value.status == 403


async def test_an_expired_token_is_refused() -> None:
    auth = Authenticator(LOCAL, "restaurant")
    token = auth.issue("r-1", "Trattoria", ttl_seconds=-10)
    with pytest.raises(AuthError, match="expired") as refused:
        await auth.verify(token)
    assert refused.value.status == 401


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(jwt.encode(claims(), "x" * 48, algorithm="HS256"), id="other-secret"),
        pytest.param(jwt.encode(claims(), None, algorithm="none"), id="unsigned"),
        pytest.param(jwt.encode(claims(aud="elsewhere"), "s" * 48, algorithm="HS256"), id="aud"),
        pytest.param(jwt.encode(claims(iss="evil"), "s" * 48, algorithm="HS256"), id="issuer"),
        pytest.param(jwt.encode(claims(exp=None), "s" * 48, algorithm="HS256"), id="no-exp"),
        pytest.param(jwt.encode(claims(role=None), "s" * 48, algorithm="HS256"), id="no-role"),
        pytest.param(jwt.encode(claims(sub=""), "s" * 48, algorithm="HS256"), id="empty-sub"),
        pytest.param("not.a.token", id="garbage"),
    ],
)
async def test_forged_or_malformed_tokens_are_refused(token: str) -> None:
    with pytest.raises(AuthError) as refused:
        await Authenticator(LOCAL, "restaurant").verify(token)
    assert refused.value.status == 401


async def test_a_tampered_payload_breaks_the_signature() -> None:
    auth = Authenticator(LOCAL, "restaurant")
    header, _, signature = auth.issue("r-1", "Trattoria").split(".")
    other_payload = jwt.encode(claims(sub="r-2"), "x" * 48, algorithm="HS256").split(".")[1]
    with pytest.raises(AuthError, match="invalid token"):
        await auth.verify(f"{header}.{other_payload}.{signature}")


@pytest.mark.parametrize("value", ["Basic abc", "Bearer", "Bearer   ", "token-without-scheme", 7])
async def test_a_malformed_authorization_is_refused(value: object) -> None:
    with pytest.raises(AuthError):
        await Authenticator(LOCAL, "restaurant").from_authorization(value)


@pytest.mark.parametrize("value", [None, ""])
async def test_no_authorization_is_anonymous(value: object) -> None:
    assert await Authenticator(LOCAL, "restaurant").from_authorization(value) is None


async def test_issuer_mode_verifies_rs256_against_the_public_key() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    settings = Settings(auth_mode="issuer", auth_public_key=public_pem, auth_issuer="https://id")
    auth = Authenticator(settings, "driver")
    good = jwt.encode(claims(sub="d-1", role="driver", iss="https://id"), key, algorithm="RS256")
    assert await auth.verify(good) == Actor(id="d-1", role="driver", name="Trattoria")

    # an HS256 token "signed" with the public key must not pass (algorithm confusion)
    with pytest.raises(AuthError):
        await auth.verify(jwt.encode(claims(role="driver", iss="https://id"), "p" * 48, "HS256"))
    with pytest.raises(RuntimeError, match="identity provider"):
        auth.issue("d-1", "Dora")


def test_issuer_mode_without_a_key_fails_at_start() -> None:
    with pytest.raises(ValueError, match="FD_AUTH_PUBLIC_KEY"):
        Authenticator(Settings(auth_mode="issuer"), "driver")


def test_an_unknown_role_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="unknown actor role"):
        Authenticator(LOCAL, "admin")
