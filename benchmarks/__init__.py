"""Benchmarks for misinfo-signals: ``python -m benchmarks`` runs the full harness."""
