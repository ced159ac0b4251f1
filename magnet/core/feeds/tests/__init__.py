"""Tests of the feed contract, validation and snapshot store (plain pytest, no Django)."""
