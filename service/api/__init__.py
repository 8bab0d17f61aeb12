"""The HTTP edge: blueprints, schemas and the problem+json error handling around service.core."""
