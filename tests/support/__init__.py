"""Helpers the integration and end-to-end tests share (no tests here)."""
