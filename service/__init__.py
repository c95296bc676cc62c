"""vanthu HTTP service: the API of CONTRACT.md and the web UI, in one FastAPI app."""
