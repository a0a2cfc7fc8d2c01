"""The demo: one process with the sample data, simulated devices at bench HZ1-B01, the
autopilot's inspections, and a panel on the bench screen that drives the simulators."""
