"""Pure domain logic: verdicts, rule packs, NIK, occupancy, HLC, ids.

No Qt, no SQL, no I/O: everything here is tested with plain values.
"""
