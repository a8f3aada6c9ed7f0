"""The machine: where files live, settings, keys in the OS keyring, logs, crash reports."""
