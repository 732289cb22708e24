"""Content checks run by `validate-content`, off the request path."""
