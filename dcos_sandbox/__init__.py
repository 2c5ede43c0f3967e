"""The embedded cloud: real Keystone plus stand-ins for what cannot run here.

Stands for the outside world, so it imports nothing of ``dcos_dashboard``.
"""
