"""Force policy."""
