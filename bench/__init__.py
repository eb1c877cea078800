"""Benchmarks: each figure next to a raw baseline measured in the same run on the same
machine, as a ratio (``python -m bench``; bench/README.md)."""
