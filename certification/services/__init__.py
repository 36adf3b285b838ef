"""Writes of the certification app, one module per area: requests and reports
(:mod:`.inspections`), remanufacturing certificates (:mod:`.certificates`), hour readings and
their anomaly flag (:mod:`.hours`); :mod:`.common` holds the rules they share."""
