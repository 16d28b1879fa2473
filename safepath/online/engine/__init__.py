"""The online-safety engine: pure Python, usable without Django (and by the CLI).

- ``hashing``: PDQ + MD5 + SHA-1 of an image in memory, as Meta's reference hasher reads it;
- ``banks``: hash lists in the field's formats (HMA/ThreatExchange signal files, NCMEC-style
  MD5 lists, CSV), all or nothing, bad lines named;
- ``index``: multi-index hashing for PDQ (exact up to distance 47) and the brute-force baseline;
- ``matching``: banks with per-bank thresholds, dihedral variants, exact MD5/SHA-1;
- ``indicators``: text red flags for adverts and chats (English, French, Spanish; data files);
- ``graph``: adverts linked by phone numbers, e-mails and image hashes; cities per phone;
- ``takedown``: escalation steps and time-to-removal percentiles;
- ``triage``: the queue's urgency score;
- ``synth``: harmless synthetic images (shapes, noise, text) for tests, benchmarks and the demo.
"""
