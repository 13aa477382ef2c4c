"""The Passe-muraille web application (FastAPI)."""
