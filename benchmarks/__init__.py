"""Benchmarks: each module is runnable as `python -m benchmarks.NAME` and prints one JSON
object of measured figures. `python -m benchmarks` runs them all (see docs/performance.md)."""
