"""Benchmarks of issue 7: run them all with ``make bench`` (bench/run.py); each script runs alone too."""
