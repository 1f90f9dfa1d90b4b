#!/usr/bin/env python
"""Django's command-line utility for Oversight."""

from oversight.manage import main

if __name__ == "__main__":
    main()
