"""The entry points: the command line and its commands (with the demo), logging, the
Prometheus metrics and /healthz listener, and the views they print.
"""
