"""coach: a terminal walking coach."""

__version__ = "0.1.0"
