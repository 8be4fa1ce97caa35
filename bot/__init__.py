"""Briefbot: the chat side. Core (platform-free), adapters (one per platform), renderers, cache, state."""
