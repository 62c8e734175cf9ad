"""Missing children."""
