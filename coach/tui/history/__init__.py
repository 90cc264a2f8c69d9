"""The history in the app: the screen, its summary, tables and chart, and one record."""
