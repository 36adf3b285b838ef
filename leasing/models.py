"""Models of the leasing app."""
