"""Models of the nominations app (filled by its issue)."""
