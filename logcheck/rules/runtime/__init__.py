"""LC8xx: the runtime and the other signals (AWS Lambda and Powertools, metrics, trace and
correlation context, moved logging APIs). One module per rule; what two rules share is in
`_shared.py`."""
