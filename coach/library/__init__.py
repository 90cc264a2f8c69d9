"""The person's files: where routines live (built-in, mine, a path) and new ones from a starter."""
