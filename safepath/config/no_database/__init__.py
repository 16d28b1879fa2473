"""A database backend for the engine verbs: any use of it is a bug, and it says so."""
