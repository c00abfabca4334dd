#!/usr/bin/env python
"""Convenience entry point for developers; the installed command is ``paraat``."""

import sys

from paraat.cli import main

if __name__ == "__main__":
    main(sys.argv[1:])
