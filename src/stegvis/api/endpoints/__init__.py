"""The REST API's operations, one module per resource, each with its ``router`` (added in ``rest``)."""
