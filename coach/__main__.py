"""`python -m coach` runs the command line."""

from coach.entry import main

main()
