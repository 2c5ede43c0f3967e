"""Horizon imports ``local.local_settings``; for the anchor, from here."""
