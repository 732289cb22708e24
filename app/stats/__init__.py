"""Aggregate statistics: counts per week, outcomes, suppression, staff report."""
