"""The development environment: Horizon settings and the `make run` launcher."""
