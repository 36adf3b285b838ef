"""Models of the valuation app."""
