"""The product's settings with the benchmark-only URLconf (bench_urls): bare views beside it."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
