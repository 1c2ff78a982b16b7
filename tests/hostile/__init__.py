"""Hostile input: arbitrary YAML, odd payloads, and regexes that backtrack without end."""
