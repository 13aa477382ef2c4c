"""The French HTML pages (site, guides, maps) and their rendering."""
