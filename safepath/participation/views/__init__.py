"""The participation app's pages: for staff under /participation/, for children under
/participate/."""
