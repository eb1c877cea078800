"""The one error the local stack raises: something is missing or would not start."""


class StackError(RuntimeError):
    """A clear, user-facing reason why the local stack cannot start or stop."""
