"""The append-only, hash-chained audit log: who did what to which person or record, when, from where.

No role can edit or delete an entry: the model refuses it, and database triggers refuse it on SQLite
and PostgreSQL. Auditors search it; `python -m magnet audit verify` checks the chain."""
