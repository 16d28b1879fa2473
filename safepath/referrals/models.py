"""The referrals app's data and invariants."""
