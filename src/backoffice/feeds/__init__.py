"""Feeds: the data engineer's tools around the provider registry (dry run, new feeds, health)."""
