"""Imported at start-up by every Python process of an `.ci/any-day` run (it is on PYTHONPATH).

Moves the wall clock (time.time, datetime.now, date.today, ...) of the process by
$SYNCD_CLOCK_OFFSET seconds, with time-machine, and lets it run from there; monotonic clocks
and sleeps are left alone. Subprocesses inherit the variable, so a `syncd run` started by a
test lives on the same moved clock as the test. Nothing of syncd or of the test suite imports
this: it exists only for that check.
"""

import os

_OFFSET = os.environ.get("SYNCD_CLOCK_OFFSET")
if _OFFSET:
    import time

    import time_machine

    time_machine.travel(time.time() + float(_OFFSET), tick=True).start()
