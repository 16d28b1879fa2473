"""Nothing of the finance app is registered in the Django admin, on purpose.

Alerts name customers and carry their transactions: only the agency's financial analysts see
them, through the finance pages and API, where every read is audited. A system administrator
manages users and agencies, not alerts.
"""
