"""HSDS 3.0: models, import and export of the legal-aid directory."""
