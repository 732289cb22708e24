"""The staff area: sign-in, statistics, partners, review, directory."""
