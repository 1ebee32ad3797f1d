"""A stop is never lost, even when the signal lands where Python cannot raise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# A SIGTERM delivered while a weakref callback runs (as when a garbage collection runs inside a prompt):
# Python reports the handler's exception as "ignored" and carries on; the stop must come again and end the loop.
SCRIPT = """
import os, signal, time, weakref
from generator import interrupt

class Thing:
    pass

def callback(ref):
    os.kill(os.getpid(), signal.SIGTERM)
    for _ in range(200000):
        pass

with interrupt.handling():
    try:
        thing = Thing()
        ref = weakref.ref(thing, callback)
        del thing
        for _ in range(300):
            time.sleep(0.01)
        print("LOST")
    except interrupt.Stopped as stop:
        print("STOPPED", stop.cause)
"""


@pytest.mark.skipif(os.name != "posix", reason="needs os.kill with SIGTERM")
def test_a_stop_swallowed_in_a_weakref_callback_comes_again() -> None:
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "STOPPED 15", (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
