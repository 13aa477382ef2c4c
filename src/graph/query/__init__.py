"""Reading the graph: entities (the one reader of pages, API, CLI and notebooks) and statistics."""
