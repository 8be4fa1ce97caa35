"""Platform-free core: the seam between adapters and the summarizer."""
