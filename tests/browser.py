"""Helpers for the Playwright browser tests (the `browser_page` fixture is in conftest)."""


def browser_login(page, live_server, username: str, password: str = "a-long-test-password") -> None:
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
