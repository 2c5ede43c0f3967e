"""The anchor Horizon: magnum-ui's Clusters panel, for bench_pages only.

Not a Python package anyone imports: ``bench/anchor`` goes first on the
PYTHONPATH of a second Horizon process so that Horizon finds
``local.local_settings`` here instead of the plugin's (``devenv/local``).
"""
