"""``make bench``: the benchmark of the public paths against the stack's floor (see ``bench/run.py``)."""
