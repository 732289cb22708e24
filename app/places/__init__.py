"""Places: ZIP codes, states, distances and US phone numbers (offline data)."""
