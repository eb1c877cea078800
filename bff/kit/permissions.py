"""Permission classes: ``@strawberry.field(permission_classes=[IsAuthenticated])``.

Authentication has already refused tokens of other roles; ``IsAuthenticated`` still checks
the actor's role, so a field is never served to the wrong kind of actor. What an actor may
see within its role (its own orders only) is for the resolver to decide.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from bff.kit.context import Context
from bff.kit.problems import NotAuthenticated


class IsAuthenticated(BasePermission):
    message = "Sign in first: this needs an actor of this app's role."
    error_class = NotAuthenticated

    def has_permission(self, source: Any, info: Info[Context, Any], **kwargs: Any) -> bool:
        context = info.context
        return context.actor is not None and context.actor.role == context.role
