"""Device drivers for inspection benches: scales, barcode scanners and cameras.

Imports no project code: plain data in, plain data out (`drivers.readings`). Entry points:
`drivers.bench.Bench` (workers, watchdog, one asyncio event stream), the protocol modules
in `drivers.scales` and `drivers.scanners`, and the simulators in `drivers.sim`.
"""
