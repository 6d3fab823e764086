"""Audit: trace a figure to the landed bytes, the control log, past nights, evidence packs."""
