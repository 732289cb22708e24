"""The library's search index (issue 15): articles in every shipped language, searched by the
database's own full-text engine (SQLite FTS5 or PostgreSQL text search)."""
