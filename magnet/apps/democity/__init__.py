"""The demo city in the platform: `python -m magnet demo build` generates a feed snapshot with
`magnet.core.democity`, loads it like any other, and creates the platform's own demo records
(departments, enterprises, service points and an account for every role)."""
