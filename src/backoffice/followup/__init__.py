"""Follow-up: morning digests, provider claims, customer statements, escalation."""
