"""The package version, in its own module so that lower layers need not import ``ustpull``."""

__version__ = "0.1.0"
