"""Every change in the emergency app: one function each, atomic, permission-checked, audited.

``registration``: a rapid registration and its changes. ``sync``: a device's operations.
``emergencies``: declaring and ending an emergency. ``risk``: the INFORM import.
``submissions``: ODK/KoboToolbox submissions through the cases import.
"""
