"""Cross-cutting HTTP concerns: error conventions, limits, rate limit, security headers, response cache, auth."""
