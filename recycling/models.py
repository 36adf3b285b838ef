"""Models of the recycling app: end-of-life disposal requests, quotes and certificates."""
