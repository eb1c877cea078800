"""Metrics, tracing and correlation for every process of the system (docs/observability.md).

- ``tracing``: the story a process is working on (a correlation id and a W3C
  ``traceparent``, with the OpenTelemetry API), in a context variable that events, logs
  and metrics read;
- ``logs``: how every process logs (INFO, tokens redacted, the story's fields on each line);
- ``metrics``: the Prometheus metrics, defined in one place; ``hub``, ``listening`` and
  ``live`` record them where events are produced, consumed, applied and pushed;
- ``serve``: ``/metrics`` on an API's port, or on a loopback port (``FD_METRICS_PORT``).

This package depends on no other package of the repository but ``events`` (for the
catalog's type names), so the event envelope itself can read the story.
"""
