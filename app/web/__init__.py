"""Routers: the chat, results, pages, the JSON API and the staff area."""
