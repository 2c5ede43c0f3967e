"""Benchmarks of dcos-dashboard, printed as ratios measured side by side.

``make bench`` (``python -m bench``) runs every figure; ``python -m bench
health labels`` runs some. Each ``bench_*.py`` module says what it
measures and against what; docs/performance.md has the latest numbers.
"""
