"""Horizon imports ``local.local_settings``; this folder comes first on sys.path."""
