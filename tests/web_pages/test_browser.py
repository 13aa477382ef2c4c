"""The pages and maps in a real browser (Chromium via Playwright) against the app served on 127.0.0.1."""

from __future__ import annotations

import re

import httpx
import pytest

from .conftest import ADMIN_TOKEN, HOSTILE, screenshot


def _drawn(page) -> int:
    page.wait_for_selector("#map[data-drawn]", timeout=20000)
    assert page.locator("#map canvas").count() == 1
    return page.evaluate("window.passeMurailleMap.nodes.length")


def test_search_a_term_and_see_its_senses(server, watched_page):
    page, watch = watched_page
    page.goto(server.url + "/")
    screenshot(page, "home")
    page.fill("#q", "AM")
    page.locator("#q").press_sequentially("O", delay=50)
    page.wait_for_selector("#suggestions li", timeout=10000)
    assert "AMO" in page.locator("#suggestions").inner_text()
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"/chercher\?q=AMO"))
    senses = page.locator("#senses .sense")
    assert senses.count() >= 1
    assert "milieu ouvert" in page.locator("#senses").inner_text()
    screenshot(page, "search-results")
    page.locator("#senses a", has_text="Fiche du terme").first.click()
    page.wait_for_url(re.compile(r"/termes/"))
    assert page.locator("#senses .sense").count() >= 1
    assert "sens, par secteur et par pays" in page.locator("h2").first.inner_text()
    screenshot(page, "term")
    watch.check()


def test_keyboard_search_on_a_phone(server, watched_page):
    page, watch = watched_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.locator("#q").focus()
    page.keyboard.type("CPAS")
    page.wait_for_selector("#suggestions li", timeout=10000)
    page.keyboard.press("ArrowDown")
    assert page.locator("#suggestions li.active").count() == 1
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/(acteurs|termes|chercher)"))
    screenshot(page, "phone-after-suggestion")
    watch.check()


PARAGRAPH = ("Lors de la réunion, l'AMO a rappelé que le SAJ n'intervient qu'avec l'accord de la famille ; "
             "le CPAS peut aider via le RIS. Le projet XQZW reste à clarifier avec le CPMS.")


def test_decode_a_pasted_paragraph(server, watched_page):
    page, watch = watched_page
    page.goto(server.url + "/decoder")
    page.fill("#texte", PARAGRAPH)
    page.get_by_role("button", name="Décoder").click()
    page.wait_for_selector("#decoded")
    hits = page.locator(".decoded-text a.hit mark").all_inner_texts()
    for sigle in ("AMO", "SAJ", "CPAS"):
        assert sigle in hits, hits
    assert "XQZW" in page.locator(".unknown-list").inner_text()
    assert page.locator(".explanations dt").count() >= 3
    screenshot(page, "decoder")
    watch.check()


@pytest.mark.parametrize("path,name", [("/homologues", "counterparts"), ("/orientation", "referrals"),
                                       ("/recherche", "research"), ("/cartes?agrege=1", "map-aggregated")])
def test_other_pages_render_without_errors(server, watched_page, path, name):
    page, watch = watched_page
    response = page.goto(server.url + path)
    assert response.status == 200
    csp = response.headers.get("content-security-policy", "")
    assert "unsafe-eval" not in csp and "script-src 'self'" in csp
    if "cartes" in path:
        assert _drawn(page) >= 1
    screenshot(page, name)
    watch.check()


def test_counterparts_and_referral_forms(server, watched_page):
    page, watch = watched_page
    data = httpx.get(server.url + "/cartes/donnees.json", timeout=30).json()
    actor = data["edges"][0]["from"]
    page.goto(server.url + "/homologues")
    page.fill("#acteur", actor)
    page.select_option("#secteur", index=1)
    page.get_by_role("button", name="Chercher").last.click()
    page.wait_for_load_state()
    assert page.locator("h2", has_text="Homologues").count() == 1
    page.goto(server.url + "/orientation")
    page.get_by_role("button", name="Chercher un chemin").click()
    page.wait_for_load_state()
    assert page.locator("h2", has_text="Chemins trouvés").count() == 1
    watch.check()


def test_hostile_labels_run_no_script(hostile_server, watched_page):
    page, watch = watched_page
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    for path in ("/acteurs/hostile-actor", "/chercher?q=XSSX", "/termes/g-be-xssx", "/cartes",
                 "/cartes/acteurs/hostile-actor", f"/cartes/acteurs/{hostile_server.hostile_parent}?profondeur=1"):
        page.goto(hostile_server.url + path)
        if path.startswith("/cartes"):
            _drawn(page)
            point = page.evaluate("""() => { const m = window.passeMurailleMap, id = 'hostile-actor';
                if (!m.nodes.get(id)) { return null; }
                m.network.focus(id, {scale: 1.5, animation: false});
                return m.network.canvasToDOM(m.network.getPositions([id])[id]); }""")
            box = page.locator("#map").bounding_box()
            if point:
                page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
                page.wait_for_timeout(600)  # the tooltip (node title) is shown
        assert page.evaluate("typeof window.__xss") == "undefined", path
        if path == "/acteurs/hostile-actor":
            assert HOSTILE in page.locator("h1").inner_text()
            screenshot(page, "hostile-actor")
    page.goto(hostile_server.url + "/decoder")
    page.fill("#texte", "Le service XSSX travaille avec l'AMO.")
    page.get_by_role("button", name="Décoder").click()
    page.wait_for_selector("#decoded")
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert not [u for u in requested if u.rstrip("/").endswith("/x")], "the hostile <img src=x> was loaded"
    watch.check()


def test_editor_signs_in_edits_and_sees_the_change(hostile_server, watched_page):
    page, watch = watched_page
    page.goto(hostile_server.url + "/editer")
    assert page.locator("#jeton").count() == 1  # 401: the sign-in form
    page.fill("#jeton", ADMIN_TOKEN)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/editer$"))
    page.goto(hostile_server.url + f"/editer/actors/{hostile_server.hostile_parent}")
    page.fill("#f-description", "Description revue par le test du navigateur.")
    page.fill("#f-raison", "test de bout en bout")
    page.get_by_role("button", name="Valider et publier").click()
    page.wait_for_url(re.compile(r"publie="), timeout=60000)
    assert page.locator(".success").count() == 1
    assert "test de bout en bout" in page.locator("table.history").inner_text()
    screenshot(page, "editing")
    page.goto(hostile_server.url + f"/acteurs/{hostile_server.hostile_parent}")
    assert "Description revue par le test du navigateur." in page.content()
    page.goto(hostile_server.url + f"/editer/actors/{hostile_server.hostile_parent}")
    page.fill("#f-sector", "secteur-qui-n-existe-pas")
    page.fill("#f-raison", "doit échouer")
    page.get_by_role("button", name="Valider et publier").click()
    page.wait_for_selector(".error")
    assert "secteur-qui-n-existe-pas" in page.locator(".error").inner_text()
    # by design: the first visit answers 401 (sign-in form), the refused edit 422
    watch.console = [c for c in watch.console if "401" not in c and "422" not in c]
    watch.check()
