"""Benchmarks (figures, references, ratios) and the synthetic dataset they run on."""
