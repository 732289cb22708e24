"""The JSON API, version 1 (DESIGN.md, Contracts)."""
