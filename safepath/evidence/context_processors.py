from django.http import HttpRequest


def evidence_links(request: HttpRequest) -> dict[str, bool]:
    """Which of this app's links the page shows; the app's policy decides."""
    return {}
