"""Framework-free libraries: no `import django`, no import from `magnet.apps`.

Each package takes and returns plain values (dataclasses, Decimal, date, Arrow tables) so that it can be
tested, benchmarked and reused without a database or a web server.
"""
