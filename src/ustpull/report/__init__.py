"""ustpull.report layer."""
