"""The read-only public JSON API (/api/v1) and its OpenAPI document."""
