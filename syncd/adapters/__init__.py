"""The adapters: GitHub and Jira over HTTP, the SQLite state file. Each translates its
service's answers and errors into syncd's own words (syncd.service_layer.tracker).
"""
