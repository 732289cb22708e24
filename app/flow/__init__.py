"""The questionnaire engine: loads and validates content, routes answers, builds facts.

Nothing here imports the web layer, so the chat, the JSON API, the CLI and the tests all drive
the same engine.
"""
