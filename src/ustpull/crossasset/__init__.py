"""ustpull.crossasset layer."""
