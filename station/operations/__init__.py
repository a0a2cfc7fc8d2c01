"""Running an installation: backups and restores, /metrics, doctor, systemd units."""
