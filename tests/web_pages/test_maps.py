"""The maps in a real browser: the analysed graph's counts, isolated nodes hidden, a click opens the side panel
(not another page), the node list works from the keyboard, the state lives in the URL, filters keep neighbours."""

from __future__ import annotations

import re

import httpx

from graph.network.projection import project

from .conftest import screenshot


def _drawn(page) -> int:
    page.wait_for_selector("#map[data-drawn]", timeout=20000)
    assert page.locator("#map canvas").count() == 1
    return int(page.get_attribute("#map", "data-drawn"))


def _click_node(page, node_id: str) -> None:
    """Click a node of the vis-network map where it is drawn."""
    page.locator("#map").scroll_into_view_if_needed()
    page.evaluate("""id => { const m = window.passeMurailleMap;
        m.network.focus(id, {scale: 1.5, animation: false}); m.network.redraw(); }""", node_id)
    box = page.locator("#map").bounding_box()
    point = page.evaluate("""id => { const m = window.passeMurailleMap;
        return m.network.canvasToDOM(m.network.getPositions([id])[id]); }""", node_id)
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_overview_states_the_analysed_graph_and_hides_isolated_nodes(server, watched_page, bundled_store):
    page, watch = watched_page
    G = project(bundled_store).actors
    isolated = sum(1 for v in G if G.degree(v) == 0)
    page.goto(server.url + "/cartes")
    shown = _drawn(page)
    counts = page.locator("#map-counts")
    assert counts.get_attribute("data-graph-nodes") == str(G.number_of_nodes())
    assert counts.get_attribute("data-graph-ties") == str(G.number_of_edges())
    text = counts.inner_text().replace("\u202f", " ")
    assert f"{G.number_of_nodes():,}".replace(",", " ") + " nœuds" in text
    assert f"{G.number_of_edges():,}".replace(",", " ") + " liens" in text
    assert f"Isolés masqués : {isolated}" in text
    assert shown == G.number_of_nodes() - isolated
    # the research page states the same graph
    research = httpx.get(server.url + "/recherche", timeout=60).text
    assert f"{G.number_of_nodes()} acteurs et postes, {G.number_of_edges()} liens" in research
    page.check("#f-isoles")
    assert "isoles=1" in page.url
    assert page.evaluate("window.passeMurailleMap.nodes.get({filter: n => !n.hidden}).length") == G.number_of_nodes()
    screenshot(page, "map-overview")
    watch.check()


def test_a_click_opens_the_side_panel_and_stays_on_the_map(server, watched_page):
    page, watch = watched_page
    page.goto(server.url + "/cartes?calques=brokers&calques=gaps")
    _drawn(page)
    assert page.locator(".legend li").count() >= 3
    node = page.evaluate("window.passeMurailleMap.data.nodes.filter(n => !n.isolated && n.url)"
                         ".sort((a, b) => a.rank - b.rank)[0].id")
    _click_node(page, node)
    panel = page.locator("#map-panel")
    panel.wait_for(state="visible", timeout=5000)
    assert re.search(r"/cartes\?.*sel=", page.url), page.url
    assert page.locator("#panel-metrics dt", has_text="Intermédiarité").count() == 1
    assert page.locator("#panel-metrics dt", has_text="Contrainte").count() == 1
    assert page.locator("#panel-metrics dt", has_text="Rôle").count() == 1
    assert page.get_attribute("#panel-open", "href") == f"/acteurs/{node}"
    assert page.locator("#panel-neighbours li").count() >= 1
    screenshot(page, "map-panel")
    # the selection survives a reload (it is in the URL)
    page.reload()
    _drawn(page)
    page.locator("#map-panel").wait_for(state="visible", timeout=5000)
    page.click("#panel-close")
    assert page.locator("#map-panel").is_hidden() and "sel=" not in page.url
    watch.check()


def test_the_node_list_selects_from_the_keyboard(server, watched_page):
    page, watch = watched_page
    page.goto(server.url + "/cartes")
    _drawn(page)
    button = page.locator("#node-list li:not([hidden]) button").first
    button.focus()
    page.keyboard.press("Enter")
    page.locator("#map-panel").wait_for(state="visible", timeout=5000)
    assert page.locator("#panel-title").inner_text() == button.inner_text()
    assert page.evaluate("document.activeElement.id") == "map-panel"
    page.click("#panel-open")
    page.wait_for_url(re.compile(r"/acteurs/"), timeout=10000)
    watch.check()


def test_filters_keep_the_neighbours_and_ego_maps_name_few(server, watched_page):
    page, watch = watched_page
    page.goto(server.url + "/cartes?secteur=aide-jeunesse&territoire=be-nis-60000")
    shown = _drawn(page)
    assert shown > 2
    text = page.locator("#map-counts").inner_text()
    assert "voisins sont dessinés" in text and "1 nœud," not in text
    data = httpx.get(server.url + "/cartes/donnees.json", timeout=30).json()
    hub = max(data["nodes"], key=lambda n: n.get("degree", 0))["id"]
    page.goto(f"{server.url}/cartes/acteurs/{hub}?profondeur=3")
    drawn = _drawn(page)
    named = page.evaluate("window.passeMurailleMap.nodes.get({filter: n => !n.hidden && n.label}).length")
    assert drawn <= 40 or named < drawn / 2, (named, drawn)
    page.fill("#map-search", page.evaluate("id => window.passeMurailleMap.data.nodes.find(n => n.id === id).label",
                                           hub)[:12])
    page.click("#map-search-go")
    assert "Trouvé" in page.locator("#map-status").inner_text()
    screenshot(page, "map-ego")
    watch.check()


def test_maps_fit_a_phone(server, watched_page):
    page, watch = watched_page
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/cartes", "/cartes?secteur=aide-jeunesse&territoire=be-nis-60000"):
        page.goto(server.url + path)
        _drawn(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    screenshot(page, "map-phone")
    watch.check()


def test_the_offline_map_file_hides_isolated_actors_and_loads_nothing_from_outside(watched_page, bundled_store,
                                                                                    tmp_path):
    from graph.publish import maps

    page, watch = watched_page
    G = project(bundled_store).actors
    isolated = sum(1 for v in G if G.degree(v) == 0)
    assert isolated > 0
    path = tmp_path / "carte.html"
    path.write_text(maps.standalone_html(maps.overview(bundled_store), "Carte"), encoding="utf-8")
    page.set_content(path.read_text(encoding="utf-8"))  # as opened from disk: every request but data: is refused
    page.wait_for_selector("#map[data-drawn]", timeout=20000)
    drawn = int(page.get_attribute("#map", "data-drawn"))
    total = page.evaluate("window.passeMurailleMap.nodes.length")
    assert total - drawn == isolated and drawn > 0
    note = page.inner_text("#map-note").replace("\u202f", " ")
    assert f"{isolated} acteurs isolés masqués" in note
    assert watch.external == [] and watch.errors == []
