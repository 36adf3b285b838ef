from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Measurement commands kept out of the production packages.

    Each benchmark is a management command printing one JSON line; the code it measures
    stays in its own app, this app only drives it.
    """

    name = "benchmarks"
    verbose_name = "Benchmarks"
