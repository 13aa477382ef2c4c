"""The liaison agent's and the newcomer's journeys in a real browser: who serves a commune, counterparts from the
actor page's button, by name and by commune, in both directions; an unknown acronym proposed for review; the
search context kept; protocols scoped to their country."""

from __future__ import annotations

import re

from .conftest import screenshot


def _expected_error(watch, status: int) -> None:
    """Forget the browser's console line for an error page the test asked for (``status``), and only that."""
    watch.console = [line for line in watch.console if f"status of {status}" not in line]


def test_who_serves_a_commune_from_the_home_page(server, watched_page):
    page, watch = watched_page
    page.goto(server.url + "/")
    page.get_by_role("link", name=re.compile("Qui dessert ma commune")).click()
    page.wait_for_url(re.compile(r"/communes$"))
    page.fill("#commune-q", "SERAING")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_url(re.compile(r"/communes\?q="))
    text = page.locator("main").inner_text()
    assert "Qui dessert Seraing" in text and "CPAS de Seraing" in text
    assert "Service de l'aide à la jeunesse de Liège" in text
    assert "Service de protection de la jeunesse de Liège" in text
    screenshot(page, "communes-seraing")
    page.fill("#commune-q", "Seraingg")
    page.get_by_role("button", name="Chercher").click()
    assert "Commune inconnue" in page.locator("main").inner_text()
    _expected_error(watch, 404)
    page.get_by_role("link", name="Seraing").click()
    page.wait_for_url(re.compile(r"/communes/be-nis-62096"))
    assert "CPAS de Seraing" in page.locator("main").inner_text()
    watch.check()


def test_counterparts_from_the_actor_page_button(server, watched_page):
    page, watch = watched_page
    page.goto(server.url + "/acteurs/saj-liege")
    page.select_option("#homologue-secteur", "aide-sociale")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_url(re.compile(r"/homologues\?"))
    assert page.locator("h2", has_text="Homologues").count() == 1
    rows = page.locator("main table tbody tr")
    assert rows.count() >= 5
    first = [rows.nth(i).inner_text() for i in range(5)]
    assert all("CPAS" in row for row in first), first  # the CPAS of the division's communes, not federal bodies
    screenshot(page, "counterparts-saj-liege")
    watch.check()


def test_counterparts_by_name_and_by_commune_both_ways(server, watched_page):
    page, watch = watched_page
    page.goto(server.url + "/homologues?acteur=SAJ+Li%C3%A8ge&secteur=aide-sociale")
    assert page.locator("h2", has_text="Homologues de").count() == 1
    assert "CPAS" in page.locator("main table").inner_text()
    # the other direction: a CPAS of the division finds the SAJ and the SPJ of its division
    page.goto(server.url + "/homologues?acteur=CPAS+de+Seraing&secteur=aide-jeunesse")
    text = page.locator("main table").inner_text()
    assert "Service de l'aide à la jeunesse de Liège" in text
    # by commune only, named as people write it
    page.goto(server.url + "/homologues?territoire=seraing&secteur=aide-sociale")
    assert "CPAS de Seraing" in page.locator("main table").inner_text()
    page.goto(server.url + "/homologues?territoire=Seraingg&secteur=aide-sociale")
    assert "Territoire inconnu" in page.locator("main").inner_text()
    _expected_error(watch, 400)
    assert page.get_by_role("link", name="Seraing").count() >= 1
    watch.check()


def test_unknown_acronym_is_proposed_and_context_is_kept(server, watched_page):
    page, watch = watched_page
    page.goto(server.url + "/chercher?q=ZQXW")
    assert "Sigle inconnu" in page.locator("main").inner_text()
    page.fill("#texte", "Le ZQXW s'est réuni hier.")
    page.get_by_role("button", name="Proposer ce sigle").click()
    page.wait_for_url(re.compile(r"/proposer"))
    assert "proposé aux éditeurs" in page.locator("main").inner_text()
    page.goto(server.url + "/chercher?q=AS&pays=ch&secteur=aide-sociale")
    first = page.locator("#senses .sense").first.locator(".tag.country").all_inner_texts()
    assert "Suisse" in first
    page.goto(server.url + "/chercher?q=AS")  # no context in the URL: the one chosen before is kept
    assert page.locator("#ctx-pays").input_value() == "ch"
    page.goto(server.url + "/chercher?q=AS&pays=be&secteur=")
    assert "Suisse" not in page.locator("#senses .sense").first.locator(".tag.country").all_inner_texts()
    watch.check()


def test_protocols_are_scoped_to_their_country(server, watched_page):
    page, watch = watched_page
    page.goto(server.url + "/acteurs/saj-liege")
    section = page.locator("section[aria-labelledby=protocoles]").inner_text()
    assert "CPOM" not in section and "Ille-et-Vilaine" not in section
    page.locator("section[aria-labelledby=protocoles] a").first.click()
    page.wait_for_url(re.compile(r"/protocoles/"))
    assert "Parties" in page.locator("main").inner_text()
    watch.check()


def test_research_tables_sort_filter_and_download(server, watched_page):
    page, watch = watched_page
    page.goto(server.url + "/recherche")
    summary = page.locator("#graph-summary").locator("xpath=..").inner_text()
    graph = page.evaluate("fetch('/api/v1/exports/network?format=graphml').then(r => r.text())")
    assert f"{graph.count('<node ')} acteurs et postes" in summary.replace("\u202f", " ")
    table = page.locator("table[data-table=brokers]")
    header = table.locator("thead th").nth(4)  # Intermédiarité
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    values = [float(v or 0) for v in table.locator("tbody tr td:nth-child(5)").all_inner_texts()]
    assert values == sorted(values)
    page.select_option("#f-secteur", "aide-sociale")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(lambda url: "secteur=aide-sociale" in url)
    link = page.locator("section[aria-labelledby=t-brokers] a", has_text="Télécharger en CSV")
    href = link.get_attribute("href")
    assert href.startswith("/recherche/brokers.csv?") and "secteur=aide-sociale" in href
    csv_text = page.evaluate(f"fetch('{href}').then(r => r.text())")
    assert csv_text.splitlines()[0].startswith("acteur,nature,secteurs")
    for name in ("ei_index", "sector_matrix", "communities", "suggested_links", "official_counts"):
        assert page.locator(f"table[data-table={name}]").count() == 1, name
    watch.check()
