"""Benchmark: the browser's page observation (target: ≤ 2 ms for a typical page).

Run: .venv/bin/python bench/browser_bench.py [--repeat 500]

Measures, on the storefront's pages (served and rendered from the shop's records): parsing a
page into elements and lines, rendering the observation, and a whole ``browser_goto`` step
(request through the mock network + Jinja2 + parse + render), with medians after a warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from sandbox.browser.page import parse_page
from scenarios.build import build_world
from scenarios.library import load_bundled

PAGES = ("/", "/search?q=e", "/products/prod_101", "/login")


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    for _ in range(min(50, repeat)):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=500)
    args = parser.parse_args()
    world = build_world(load_bundled("buy-shopping-list"))
    browser = world.browser
    print(f"{'page':<22} {'bytes':>6} {'parse ms':>9} {'render ms':>10} {'goto ms':>8}")
    for path in PAGES:
        url = "https://shop.example" + path
        html = browser.client.get(url).text
        browser.goto(url)
        parse = median_ms(lambda url=url, html=html: parse_page(url, 200, html), args.repeat)
        render = median_ms(browser.render, args.repeat)
        goto = median_ms(lambda url=url: browser.goto(url), args.repeat)
        print(f"{path:<22} {len(html):>6} {parse:>9.3f} {render:>10.3f} {goto:>8.3f}")
    print("target: parse + render ≤ 2 ms for a typical page")


if __name__ == "__main__":
    main()
