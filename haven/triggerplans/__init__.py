"""Trigger plans."""
