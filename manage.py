#!/usr/bin/env python
"""Django's command-line utility; `python -m magnet` does the same with grouped command names."""

from magnet.__main__ import main

if __name__ == "__main__":
    main()
