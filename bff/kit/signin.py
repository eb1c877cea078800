"""The dev sign-in (local auth mode only): pick a seeded identity, get a token.

- ``GET /dev/signin``: a page listing the BFF's identities; a click fetches a token,
  stores it in ``localStorage["fd.token"]`` and opens the app at ``/``.
- ``POST /dev/token`` with ``{"id": "<identity id>"}``: ``{"token": ..., "actor": {...}}``.

In issuer mode these routes do not exist: tokens come from the identity provider.
"""

from __future__ import annotations

import html
import json

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from bff.kit.services import services_of

#: where the apps keep their token (each BFF is its own origin, so its own storage)
TOKEN_STORAGE_KEY = "fd.token"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Sign in ({role}) - development</title>
<style>
 body {{ font: 16px/1.4 system-ui, sans-serif; max-width: 32rem; margin: 3rem auto;
        padding: 0 1rem; }}
 button {{ display: block; width: 100%; margin: .5rem 0; padding: .8rem; font-size: 1rem;
          text-align: left; cursor: pointer; }}
 .note {{ color: #666; font-size: .9rem; }}
</style></head>
<body><main>
<h1>Sign in as a {role}</h1>
<p class="note">Development sign-in: pick a seeded identity.</p>
{buttons}
<p id="error" role="alert"></p>
</main>
<script>
for (const button of document.querySelectorAll("button[data-id]")) {{
  button.addEventListener("click", async () => {{
    const answer = await fetch("/dev/token", {{
      method: "POST", headers: {{"content-type": "application/json"}},
      body: JSON.stringify({{id: button.dataset.id}}),
    }});
    if (!answer.ok) {{
      document.getElementById("error").textContent = "Sign-in failed: " + await answer.text();
      return;
    }}
    const {{token}} = await answer.json();
    localStorage.setItem({storage_key}, token);
    location.assign("/");
  }});
}}
</script></body></html>
"""


async def signin_page(request: Request) -> HTMLResponse:
    services = services_of(request)
    buttons = "\n".join(
        f'<button type="button" data-id="{html.escape(i.id)}" '
        f'data-testid="signin-{html.escape(i.id)}">{html.escape(i.name)}</button>'
        for i in services.spec.identities
    )
    page = PAGE.format(
        role=html.escape(services.spec.role),
        buttons=buttons or "<p>No identities are seeded for this app.</p>",
        storage_key=json.dumps(TOKEN_STORAGE_KEY),
    )
    return HTMLResponse(page, headers={"cache-control": "no-store"})


async def issue_token(request: Request) -> JSONResponse:
    services = services_of(request)
    try:
        body = await request.json()
    except ValueError:
        return JSONResponse({"error": 'send JSON: {"id": "<identity id>"}'}, status_code=400)
    wanted = body.get("id") if isinstance(body, dict) else None
    identity = next((i for i in services.spec.identities if i.id == wanted), None)
    if identity is None:
        return JSONResponse({"error": f"no seeded identity {wanted!r}"}, status_code=404)
    token = services.auth.issue(identity.id, identity.name)
    actor = {"id": identity.id, "role": services.spec.role, "name": identity.name}
    return JSONResponse({"token": token, "actor": actor}, headers={"cache-control": "no-store"})


routes = [
    Route("/dev/signin", signin_page, methods=["GET"]),
    Route("/dev/token", issue_token, methods=["POST"]),
]
