"""ustpull.curves layer."""
