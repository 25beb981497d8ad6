"""The product's URLs plus the bare views the benchmarks measure the product against.

Benchmark-only (selected by bench_settings): never part of the product. One path per bare view.
"""

from django.urls import include, path

from benchmarks import bare_create

urlpatterns = [
    path("bench/complaints/insert/", bare_create.insert),
    path("", include("config.urls")),
]
