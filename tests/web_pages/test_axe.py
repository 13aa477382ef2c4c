"""Every page passes axe-core with no critical or serious violation, at 1280 px and on a 390 px phone, and no
page is wider than the phone.

axe-core comes from the PyPI package ``axe-playwright-python`` (pinned in the ``test`` extras), which bundles
``axe.min.js``: it is injected into the page by Playwright, nothing is fetched from a CDN.
"""

from __future__ import annotations

import pytest

from .conftest import screenshot

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is missing")

SERIOUS = ("critical", "serious")
WIDTHS = (1280, 390)


def _pages(store) -> list[str]:
    from graph.publish import maps

    sense = store.select("SELECT ?s WHERE { ?s a pm:JargonSense ; pm:acronym ?a } ORDER BY ?s LIMIT 1")[0]["s"]
    drawing = maps.projection(store)
    actors = [n for n, d in drawing.graph.nodes(data=True) if d["kind"] != "post"]
    hub = max(actors, key=drawing.graph.degree)
    amo = next((n for n in actors if n.startswith("amo-")), hub)
    return ["/", "/chercher?q=AMO", "/chercher?q=ZZQX", f"/termes/{sense.rsplit('/', 1)[-1]}", "/decoder",
            f"/acteurs/{hub}", "/communes?q=seraing", f"/homologues?acteur={amo}&secteur=aide-sociale",
            "/orientation", "/recherche", "/cartes", f"/cartes/acteurs/{hub}?profondeur=2", "/sparql",
            "/sparql?query=SELECT%20%3Fs%20%3Fp%20%3Fo%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%2030",
            "/guides", "/ontologie", "/connexion"]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_axe_violation_and_nothing_wider_than_the_screen(server, watched_page, bundled_store, width):
    page, watch = watched_page
    page.set_viewport_size({"width": width, "height": 900})
    axe = axe_module.Axe()
    problems = []
    for path in _pages(bundled_store):
        response = page.goto(server.url + path)
        assert response.status == 200, path
        if path.startswith("/cartes"):
            page.wait_for_selector("#map[data-drawn]", timeout=20000)
        violations = [v for v in axe.run(page).response["violations"] if v["impact"] in SERIOUS]
        problems += [f"{path} @{width}px: {v['id']} ({v['impact']}) on {[n['target'] for n in v['nodes'][:3]]}"
                     for v in violations]
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            problems.append(f"{path} @{width}px: the page is {scroll_width} px wide")
    if width == 390:
        screenshot(page, "axe-last-page-phone")
    assert not problems, "\n".join(problems)
    watch.check()


def test_focus_is_visible(server, watched_page):
    """Tabbing to a link shows an outline (the focus ring is never removed)."""
    page, watch = watched_page
    page.goto(server.url + "/sparql")
    page.keyboard.press("Tab")
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, s.outlineWidth]; }""")
    assert style[0] != "none" and style[1] != "0px", style
    watch.check()
