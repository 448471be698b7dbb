"""Benchmarks of the harness itself (not of the pack it tests). Run them as scripts from the repo root."""
