"""The development environment: Horizon settings (local/, and settings_common
which the benchmarks' anchor shares), the `make run` launcher (run), and the
counting HTTP relay the benchmarks and the gated test cloud put in a
service's place (relay)."""
