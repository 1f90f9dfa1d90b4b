"""Benchmarks: each prints its figures and ratios, never asserts times (see bench/README.md)."""
