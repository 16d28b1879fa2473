import time
import pytest
from playwright.sync_api import Page

@pytest.mark.browser
def test_timing(page: Page, caseworker_a) -> None:
    for path in ["/accounts/login/"] * 3 + ["/static/safepath/safepath.css", "/healthz"]:
        t = time.perf_counter()
        page.goto(path)
        print(path, round(time.perf_counter() - t, 3))
    t = time.perf_counter()
    r = page.request.get("/accounts/login/")
    print("request", round(time.perf_counter() - t, 3))
    page.on("requestfinished", lambda r: print(r.url, r.timing))
    page.goto("/accounts/login/")
