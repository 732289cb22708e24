"""The staff area: accounts with a second factor, audit log, statistics, partners, review."""
