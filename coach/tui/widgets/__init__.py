"""Widgets that more than one screen could use, each self-contained."""
