"""Oversight: the prosecutor's filter for pre-trial criminal procedure."""
