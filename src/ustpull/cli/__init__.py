"""ustpull.cli layer."""
