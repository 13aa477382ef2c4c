"""One router per resource (FastAPI "bigger applications"); each module exposes ``router``."""
