"""letopis: a chronicle of Russian official news as a provenance-backed knowledge base."""

__version__ = "0.1.0"
