"""The pure core: issues, rules, estimates, routing, flagging, the ledger, the planner and
the rotation. It reads no clock, no file, no network and imports no adapter, state or
entry point: everything it needs comes in as arguments.
"""
