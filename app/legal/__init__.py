"""Findings: pure functions from a person's answers (as `Facts`) to finding codes.

`Facts.from_answers` (facts.py) turns stored answers into typed facts; `evaluate` (findings.py)
returns the codes of shared/reference/findings.yaml that apply, most urgent first. The text of
each finding lives in app/content/findings.yaml.
"""
