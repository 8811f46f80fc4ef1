"""ustpull.sources layer."""
