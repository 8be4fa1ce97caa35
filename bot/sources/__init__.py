"""Where articles come from: ingestion of files, pages and feeds (and, next, the followed sources and their poller)."""
