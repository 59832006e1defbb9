"""Exports of the movements app (registrations and cluster rankings come with their issue)."""
