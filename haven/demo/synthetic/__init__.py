"""The synthetic force: deterministic, realistic data at CI, force and national scale (issue 8).

``haven demo --tier t0 --seed 1`` builds it; :mod:`.generate` makes the rows (pure Python, one part at a
time), :mod:`.bulk` COPYs them, :mod:`.load` ties it together. See docs/performance.md.
"""
