"""The demo programme: half a year of history replayed through the services.

load.py runs the chapters in time order with the clock set; people.py, programme.py,
groups.py and digests.py are the chapters; data.py and story.py what they tell.
Uses models and services; used by the CLI, the tests and the benches.
"""

from tracker.demo.load import LOGINS, load, reset

__all__ = ["LOGINS", "load", "reset"]
