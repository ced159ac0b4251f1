"""The talent code in the platform: the city's signing keys (encrypted at rest, rotated, published as
a COSE key set at a well-known URL), the signed revocation list, and `python -m magnet code …`.
The credential itself is `magnet.core.talentcode`'s. Tiers, the service catalogue, redemptions and the
talent's page come next (the tier rules use the policy book's expression language)."""
