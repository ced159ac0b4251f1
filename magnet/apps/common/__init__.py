"""What every app shares: DomainError, the access policy (deny by default), request ids, JSON logs,
the landing and home pages, and the navigation of each role."""
