"""QR payload formats: parse and verify offline against a trust store.

No Qt, no SQL, no network: callers hand in the trust store and the time.
"""
