"""What the command line draws on a terminal: Rich tables for history, routines and timelines."""
