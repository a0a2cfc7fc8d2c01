"""The inspection workflow: a pure state machine (machine.py) and the bench shell around it
(bench.py) that carries out its effects, one transaction per event."""
