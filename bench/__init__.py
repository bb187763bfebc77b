"""Benchmarks: ``python -m app bench NAME``. Each prints one JSON object as its last line."""
