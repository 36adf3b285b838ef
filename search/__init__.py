"""Listing search: one query object, one result shape, two backends (see backends/)."""
