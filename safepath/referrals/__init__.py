"""Service directory, referral pathways and referrals between agencies.

ICAT actions 1, 2 and 10."""
