"""The product's rules, as plain functions the views and commands call."""
