"""The talent code in the platform: the city's signing keys (encrypted at rest, rotated, published as
a COSE key set at a well-known URL), the signed revocation list, and `python -m magnet code …`.
The credential itself is `magnet.core.talentcode`'s. The service catalogue and redemptions at service
points are in `redemptions.py`; the talent's own code (tier by the policy book's `tiers` rules, a new code
every minute under a pseudonymous subject) in `talent.py` and `views_talent.py`."""
