"""The pure core: what happens on a walk and what the records say.

Nothing in here touches a terminal, Textual, Rich, SQLite, a subprocess, a thread or a
clock: the shell (the CLI, plain mode, the app, the store, sound) passes time and data
in and shows or saves what comes out. `tests/test_architecture.py` keeps it so.
"""
