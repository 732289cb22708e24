"""How Debian's Chromium is started for the browser tests and for Lighthouse: the same flags,
so what Lighthouse scores is what the tests saw, and neither can reach the network."""

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-extensions",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    # Anything not on loopback goes to a proxy port where nothing listens, so no request can
    # leave this machine whatever a page asks for. (Routing every request through Playwright
    # would do the same but turns the browser cache off and slows every page.)
    # (Chromium never sends loopback addresses through a proxy.)
    "--proxy-server=http://127.0.0.1:9",
]
