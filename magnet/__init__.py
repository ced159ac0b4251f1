"""Magnet: the platform a city runs to attract young talent and keep it.

`magnet.core` holds framework-free libraries (no Django import); `magnet.apps` holds the Django apps
that wrap them; `magnet.config` is the Django project. `python -m magnet …` is the command line.
"""
