"""ustpull.store layer."""
