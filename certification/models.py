"""Models of the certification app."""
