"""ustpull.termpremium layer."""
