"""Websites on the mock network, rendered from the same records the services serve."""
