"""The HTTP server: brief pages, health, readiness, metrics, Slack events (see server.py)."""
