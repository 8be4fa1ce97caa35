"""Where Briefbot keeps things: state (subscriptions, threads, locks), the cache, articles and vectors.

Each kind sits behind a protocol with interchangeable backends (memory for tests, Redis for replicas).
"""
