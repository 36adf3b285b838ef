"""Writes of the certification app, one module per area: requests and reports
(:mod:`.inspections`), remanufacturing certificates (:mod:`.certificates`); :mod:`.common`
holds the rules they share. The hours-anomaly flag belongs to the marketplace
(:mod:`marketplace.hour_anomalies`)."""
