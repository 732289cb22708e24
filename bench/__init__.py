"""Benchmarks, load and fault drills for Puente (run by hand or `make bench`; not timed tests).

`bench.server` starts and stops the real server as a subprocess; the browser tests and the short
CI drills in tests/ reuse it, so every test talks to the app exactly as production serves it.
"""
