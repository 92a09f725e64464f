"""Layerboard example app: proves a compiled C extension loads in the final image."""

from layerdemo._fastsum import sum_squares

__all__ = ["sum_squares"]
