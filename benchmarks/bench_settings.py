"""The product's settings with the benchmark's URLconf: the product's URLs plus bare views.

Only benchmarks/api_throughput.py runs under these (DJANGO_SETTINGS_MODULE=
benchmarks.bench_settings); the product's URLconf never holds the bare views.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
