"""Catalog files shipped with ustpull (package data)."""
