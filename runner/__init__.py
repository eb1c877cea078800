"""Runs the whole system locally: the stack, every BFF's roles as separate processes, the
event lake; seeds the demo data through the BFFs' own commands (``python -m runner``)."""
