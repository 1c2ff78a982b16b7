"""Secrets stay out of output, the state file and status; state files are private."""
