"""Data feeds in the platform: loading snapshots (command and upload page), recording them with row
counts, and reading people and enterprises from the latest one. Validation and storage are
`magnet.core.feeds`'s."""
