"""The service shell: one cycle per tracker (gather, plan, apply, record), the daemon loop,
backoff and rate-limit patience, the ports the adapters implement (tracker, online
check) and the composition root (wiring) that builds them all.
"""
