"""Models of the councils app (filled by its issue)."""
