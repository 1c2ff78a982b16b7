"""Delivering messages to people: a JSON body POSTed to a Slack incoming webhook or any URL."""
