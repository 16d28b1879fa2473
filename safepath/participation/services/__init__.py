"""Every change in the participation app: one function per change, atomic, checked, audited."""
