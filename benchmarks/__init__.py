"""tarjama's benchmark harness: `make bench` (python -m benchmarks.run). See docs/performance.md."""
