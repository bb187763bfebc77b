"""Benchmarks: ``python -m bench NAME``. Each prints one JSON object as its last line."""
