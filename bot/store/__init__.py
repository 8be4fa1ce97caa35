"""Where Briefbot keeps things: state (subscriptions, threads, locks), the cache, articles and vectors.

Each kind sits behind a protocol with interchangeable backends: memory (tests), SQLite (the embedded default
without REDIS_URL, shared by the processes of one machine) and Redis (replicas across machines).
"""
