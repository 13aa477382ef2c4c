"""The table schema of ``data/``: one CSV per kind of thing, every column declared once.

This module is the single source of truth for the tables: the reader (:mod:`graph.build.tables`)
checks cells against it, the mapper (:mod:`graph.build.triples`) turns rows into triples with it,
and ``data/README.md`` documents it (``passe-muraille tables-doc`` regenerates the column
reference from it).

Conventions shared by every table:

* ``id`` — a slug ``[a-z0-9][a-z0-9._-]*`` unique across *all* tables; the entity's IRI is
  ``https://w3id.org/passe-muraille/id/{table}/{id}``.
* multi-valued cells separate values with ``|``.
* dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; booleans ``yes``/``no`` (empty = unknown).
* every row names its source(s) in ``source`` (ids of ``sources.csv``) and where in the source
  in ``locator`` (section, article, page).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDFS, SKOS

from graph.vocab.namespaces import PM

# kinds of column
ID, TEXT, REF, ENUM, BOOL, DATE, NUMBER, URL = "id", "text", "ref", "enum", "bool", "date", "number", "url"


@dataclass(frozen=True)
class Column:
    """One column of a table: its meaning, its allowed values and the RDF property it fills."""

    name: str
    kind: str
    doc: str
    example: str = ""
    required: bool = False
    multi: bool = False
    refs: tuple[str, ...] = ()
    """For ``ref`` columns: the tables whose ids are allowed."""
    values: tuple[str, ...] = ()
    """For ``enum`` columns: the allowed values."""
    enum_prefix: str = ""
    """For ``enum`` columns: value ``v`` maps to ``PM[f"{enum_prefix}-{v}"]``."""
    predicate: URIRef | None = None
    lang: str | None = None
    extra_predicates: tuple[URIRef, ...] = ()
    """Further properties asserted with the same value (e.g. skos:altLabel beside pm:acronym)."""


@dataclass(frozen=True)
class Table:
    """One CSV file of ``data/`` and the RDF class its rows become."""

    name: str
    doc: str
    rdf_class: URIRef
    columns: tuple[Column, ...]
    scheme: URIRef | None = None
    """SKOS concept scheme the rows join (skos:inScheme), if any."""
    extra_classes: tuple[URIRef, ...] = field(default=())

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _id(example: str) -> Column:
    return Column("id", ID, "Identifiant stable (slug), unique dans toutes les tables. / "
                  "Stable slug, unique across all tables.",
                  example, required=True)


def _source_columns() -> tuple[Column, ...]:
    return (
        Column("source", REF, "Source(s) du fait : identifiant(s) de sources.csv. / Source id(s) from sources.csv.",
               "seed-001", required=True, multi=True, refs=("sources",), predicate=PROV.wasDerivedFrom),
        Column("locator", TEXT, "Où dans la source : section, article, page. / "
               "Where in the source: section, article, page.",
               "§4 « actions possibles »", predicate=PM.sourceLocator),
    )


def _freshness_columns(required: bool) -> tuple[Column, ...]:
    return (
        Column("verified", DATE, "Date de dernière vérification. / Date last verified.", "2026-11-22",
               required=required, predicate=PM.verifiedOn),
        Column("review_due", DATE, "Date à laquelle revérifier. / Date by which to check again.", "2027-11-22",
               required=required, predicate=PM.reviewDue),
    )


def _labels(required_fr: bool = True) -> tuple[Column, ...]:
    return (
        Column("label_fr", TEXT, "Libellé en français. / French label.", "aide à la jeunesse",
               required=required_fr, predicate=SKOS.prefLabel, lang="fr", extra_predicates=(RDFS.label,)),
        Column("label_nl", TEXT, "Libellé en néerlandais, s'il existe. / Dutch label.", "jeugdhulp",
               predicate=SKOS.prefLabel, lang="nl"),
        Column("label_en", TEXT, "Libellé en anglais, s'il existe. / English label.", "youth aid",
               predicate=SKOS.prefLabel, lang="en"),
        Column("label_de", TEXT, "Libellé en allemand, s'il existe. / German label.", "Jugendhilfe",
               predicate=SKOS.prefLabel, lang="de"),
    )


SOURCE_KINDS = ("seed", "law", "web", "report")
MANDATE_KINDS = ("none", "administrative", "judicial", "legal_mission")
TERRITORY_LEVELS = ("country", "region", "province", "district", "municipality")
ACTOR_KINDS = ("organisation", "service", "authority", "platform", "network", "project", "programme")
COLLECTIVE_KINDS = ("platform", "network", "project", "programme")
AGREEMENT_KINDS = ("protocol", "charter", "convention", "partnership", "cooperation")
AGREEMENT_STATUSES = ("current", "revised", "superseded", "obsolete", "never_applied", "draft", "unknown")
CONDITION_KINDS = ("need", "consent", "mandate", "age", "none")
EXPANSION_STATUSES = ("known", "unknown")
CODE_SYSTEMS = ("NIS", "INSEE", "BFS", "ISO3166", "NUTS", "ONS", "CBS", "other")

ACTOR_CLASS_BY_KIND = {
    "organisation": PM.Organisation,
    "service": PM.Service,
    "authority": PM.Authority,
    "platform": PM.Platform,
    "network": PM.Network,
    "project": PM.Project,
    "programme": PM.Programme,
}

SOURCES = Table(
    "sources",
    "Les sources citées par les autres tables. / The sources the other tables cite.",
    PM.Source,
    (
        _id("seed-001"),
        Column("kind", ENUM, "Nature de la source. / Kind of source.", "seed", required=True,
               values=SOURCE_KINDS, enum_prefix="source", predicate=PM.sourceKind),
        Column("title", TEXT, "Titre. / Title.", "PV Assises de la prévention, chantier 5, 18/10/2022",
               required=True, predicate=DCTERMS.title, extra_predicates=(RDFS.label,)),
        Column("citation", TEXT, "Référence complète (fichier d'amorce, texte légal et date, éditeur). / "
               "Full reference.",
               "shared/seeds/001_72593503339d60d2.txt", predicate=DCTERMS.bibliographicCitation),
        Column("publisher", TEXT, "Éditeur ou auteur institutionnel. / Publisher.", "Fédération Wallonie-Bruxelles",
               predicate=DCTERMS.publisher),
        Column("issued", DATE, "Date de publication du document. / Publication date.", "2022-10-18",
               predicate=DCTERMS.issued),
        Column("url", URL, "Adresse publique, si elle existe. / Public URL.", "https://www.gallilex.cfwb.be/",
               predicate=FOAF.page),
        Column("seen_on", DATE, "Date de consultation de l'adresse (obligatoire si url). / Date the URL was seen.",
               "2026-11-22", predicate=PM.seenOn),
    ),
)

SECTORS = Table(
    "sectors",
    "Les secteurs (schéma SKOS). / The sectors (SKOS scheme).",
    PM.Sector,
    (
        _id("aaj"),
        Column("acronym", TEXT, "Sigle courant. / Usual acronym.", "AAJ", multi=True,
               predicate=PM.acronym, extra_predicates=(SKOS.altLabel,)),
        *_labels(),
        Column("broader", REF, "Secteur plus large. / Broader sector.", "social", refs=("sectors",),
               predicate=SKOS.broader),
        Column("definition", TEXT, "Définition. / Definition.", "Prévention, aide et protection de la jeunesse…",
               required=True, predicate=SKOS.definition, lang="fr"),
        *_source_columns(),
    ),
    scheme=PM.sectorScheme,
)

TERRITORIES = Table(
    "territories",
    "Les territoires et leur hiérarchie, avec codes officiels. / Territories with hierarchy and official codes.",
    PM.Territory,
    (
        _id("be-nis-92094"),
        Column("label", TEXT, "Nom officiel (en français quand il existe). / Official name.", "Namur", required=True,
               predicate=RDFS.label, lang="fr", extra_predicates=(SKOS.prefLabel,)),
        Column("label_nl", TEXT, "Nom en néerlandais. / Dutch name.", "Namen", predicate=SKOS.altLabel, lang="nl"),
        Column("level", ENUM, "Niveau. / Level.", "municipality", required=True, values=TERRITORY_LEVELS,
               enum_prefix="level", predicate=PM.level),
        Column("parent", REF, "Territoire englobant immédiat (vide pour un pays). / Enclosing territory.",
               "be-nis-92000", refs=("territories",), predicate=PM.partOf),
        Column("within", REF, "Autres territoires qui l'englobent hors de la hiérarchie administrative (division de "
               "l'aide à la jeunesse, zone de police…). / Further enclosing areas outside the administrative tree.",
               "be-div-liege", multi=True, refs=("territories",), predicate=PM.withinArea),
        Column("code", TEXT, "Code officiel. / Official code.", "92094", predicate=PM.code),
        Column("code_system", ENUM, "Système du code. / Code system.", "NIS", values=CODE_SYSTEMS,
               predicate=PM.codeSystem),
        *_source_columns(),
    ),
)

FUNCTIONS = Table(
    "functions",
    "Les fonctions tenues par des postes (schéma SKOS, org:Role). / Functions held by posts.",
    PM.Function,
    (
        _id("agent-de-liaison"),
        *_labels(),
        Column("sector", REF, "Secteur(s) de la fonction. / Sector(s).", "aaj", multi=True, refs=("sectors",),
               predicate=PM.sector),
        Column("cross_sector", BOOL, "La fonction a-t-elle pour mission de relier des secteurs ? / "
               "Is bridging sectors its mission?",
               "yes", predicate=PM.crossSector),
        Column("definition", TEXT, "Définition. / Definition.", "Relais entre le SAJ/SPJ et les partenaires…",
               required=True, predicate=SKOS.definition, lang="fr"),
        *_source_columns(),
    ),
    scheme=PM.functionScheme,
)

SERVICE_TYPES = Table(
    "service_types",
    "Les types de service définis par un cadre légal (schéma SKOS). / Service types defined by a legal framework.",
    PM.ServiceType,
    (
        _id("st-amo"),
        Column("acronym", TEXT, "Sigle(s). / Acronym(s).", "AMO", multi=True, predicate=PM.acronym,
               extra_predicates=(SKOS.altLabel,)),
        *_labels(),
        Column("sector", REF, "Secteur. / Sector.", "aaj", required=True, multi=True, refs=("sectors",),
               predicate=PM.sector),
        Column("country", REF, "Pays ou région où le type existe. / Country or region.", "be-fwb", required=True,
               multi=True, refs=("territories",), predicate=PM.country),
        Column("mandate_kind", ENUM, "Titre de l'intervention. / Mandate kind.", "none", required=True,
               values=MANDATE_KINDS, enum_prefix="mandate", predicate=PM.mandateKind),
        Column("free_adherence", BOOL, "Libre adhésion ? / Free adherence?", "yes", predicate=PM.freeAdherence),
        Column("anonymity", BOOL, "Anonymat possible ? / Anonymity?", "yes", predicate=PM.anonymity),
        Column("age_min", NUMBER, "Âge minimum (années ; négatif = grossesse). / Minimum age.", "0",
               predicate=PM.ageMin),
        Column("age_max", NUMBER, "Âge maximum inclus (années). / Maximum age.", "22", predicate=PM.ageMax),
        Column("legal_basis", TEXT, "Base légale (texte, article). / Legal basis.",
               "Décret du 18 janvier 2018, art. 2, 32°", predicate=PM.legalBasis),
        Column("definition", TEXT, "Ce que fait ce type de service. / What it does.", "Service de prévention…",
               required=True, predicate=SKOS.definition, lang="fr"),
        Column("is_not", TEXT, "Ce qu'il n'est pas, avec quoi on le confond. / What it is not.",
               "N'agit pas sur mandat…", predicate=PM.isNot, lang="fr"),
        *_source_columns(),
    ),
    scheme=PM.serviceTypeScheme,
)

ACTORS = Table(
    "actors",
    "Les acteurs : organisations, services, autorités, plateformes, réseaux, projets, programmes. / The actors.",
    PM.Actor,
    (
        _id("amo-passages"),
        Column("label", TEXT, "Nom. / Name.", "Passages AMO", required=True, predicate=SKOS.prefLabel, lang="fr",
               extra_predicates=(RDFS.label,)),
        Column("acronym", TEXT, "Sigle(s). / Acronym(s).", "FLAJ", multi=True, predicate=PM.acronym,
               extra_predicates=(SKOS.altLabel,)),
        Column("kind", ENUM, "Nature de l'acteur. / Kind of actor.", "service", required=True, values=ACTOR_KINDS,
               enum_prefix="kind", predicate=PM.actorKind),
        Column("service_type", REF, "Type de service. / Service type.", "st-amo", multi=True,
               refs=("service_types",), predicate=PM.serviceType),
        Column("sector", REF, "Secteur(s). / Sector(s).", "aaj", required=True, multi=True, refs=("sectors",),
               predicate=PM.sector),
        Column("country", REF, "Pays. / Country.", "be", required=True, refs=("territories",), predicate=PM.country),
        Column("territory", REF, "Territoire(s) desservi(s). / Territory served.", "be-nis-52011", multi=True,
               refs=("territories",), predicate=PM.servesTerritory),
        Column("parent", REF, "Organisation parente (pouvoir organisateur). / Parent organisation.", "cpas-charleroi",
               refs=("actors",), predicate=ORG.subOrganizationOf),
        Column("age_min", NUMBER, "Âge minimum du public, s'il diffère du type. / Minimum age.", "",
               predicate=PM.ageMin),
        Column("age_max", NUMBER, "Âge maximum du public. / Maximum age.", "", predicate=PM.ageMax),
        Column("description", TEXT, "Ce que fait l'acteur. / What the actor does.", "", predicate=DCTERMS.description,
               lang="fr"),
        Column("homepage", URL, "Site web public. / Public website.", "https://www.example.org/",
               predicate=FOAF.homepage),
        Column("contact_page", URL, "Page de contact publique de l'organisation (jamais d'une personne). / "
               "Public contact page.",
               "https://www.example.org/contact", predicate=PM.contactPage),
        Column("start", DATE, "Début (projets). / Start (projects).", "2019", predicate=PM.startDate),
        Column("end", DATE, "Fin (projets). / End (projects).", "2023", predicate=PM.endDate),
        *_freshness_columns(required=False),
        *_source_columns(),
    ),
)

POSTS = Table(
    "posts",
    "Les postes : une fonction dans un acteur pour un territoire, sans nom de personne. / Posts, never persons.",
    PM.Post,
    (
        _id("post-agent-liaison-saj-liege"),
        Column("label", TEXT, "Intitulé du poste. / Post title.", "Agent de liaison SAJ/SPJ de Liège", required=True,
               predicate=RDFS.label, lang="fr", extra_predicates=(SKOS.prefLabel,)),
        Column("function", REF, "Fonction. / Function.", "agent-de-liaison", required=True, refs=("functions",),
               predicate=ORG.role),
        Column("actor", REF, "Acteur où le poste existe. / Actor holding the post.", "saj-liege", required=True,
               refs=("actors",), predicate=ORG.postIn),
        Column("territory", REF, "Territoire couvert. / Territory covered.", "be-div-liege", multi=True,
               refs=("territories",), predicate=PM.servesTerritory),
        *_freshness_columns(required=True),
        *_source_columns(),
    ),
)

GLOSSARY = Table(
    "glossary",
    "Le jargon : un sens par ligne, dans un secteur et un pays. / Jargon: one sense per row.",
    PM.JargonSense,
    (
        _id("g-amo-be"),
        Column("acronym", TEXT, "Sigle(s) de ce sens. / Acronym(s).", "AMO", multi=True, predicate=PM.acronym,
               extra_predicates=(SKOS.altLabel,)),
        Column("term_fr", TEXT, "Forme complète en français (vide si le développement est inconnu). / Full form.",
               "service d'action en milieu ouvert", predicate=SKOS.prefLabel, lang="fr"),
        Column("term_nl", TEXT, "Forme en néerlandais. / Dutch.", "", predicate=SKOS.prefLabel, lang="nl"),
        Column("term_en", TEXT, "Forme en anglais. / English.", "", predicate=SKOS.prefLabel, lang="en"),
        Column("term_de", TEXT, "Forme en allemand. / German.", "", predicate=SKOS.prefLabel, lang="de"),
        Column("variants", TEXT, "Autres graphies (pluriels, anciens noms). / Variant spellings.",
               "services AMO", multi=True, predicate=SKOS.hiddenLabel, lang="fr"),
        Column("expansion", ENUM, "known ; unknown quand ni le document ni une source ne donne le développement "
               "du sigle (jamais inventé). / unknown when no source gives the expansion (never invented).",
               "known", required=True, values=EXPANSION_STATUSES, enum_prefix="expansion",
               predicate=PM.expansionStatus),
        Column("definition", TEXT, "Définition dans ce secteur et ce pays. / Definition.", "Service de prévention…",
               predicate=SKOS.definition, lang="fr"),
        Column("sector", REF, "Secteur(s) où ce sens a cours. / Sector(s).", "aaj", required=True, multi=True,
               refs=("sectors",), predicate=PM.sector),
        Column("country", REF, "Pays ou région où ce sens a cours. / Country or region.", "be-fwb", required=True,
               multi=True, refs=("territories",), predicate=PM.country),
        Column("service_type", REF, "Type de service désigné. / Related service type.", "st-amo",
               refs=("service_types",), predicate=PM.serviceType),
        Column("actor", REF, "Acteur désigné. / Related actor.", "", refs=("actors",), predicate=PM.relatedActor),
        Column("see_also", REF, "Sens liés. / Related senses.", "g-saj-be", multi=True, refs=("glossary",),
               predicate=SKOS.related),
        Column("note", TEXT, "Remarque (confusions, usage). / Note.", "", predicate=SKOS.note, lang="fr"),
        Column("valid_from", DATE, "Date depuis laquelle ce sens a cours (texte qui l'a créé). / In use since.",
               "2019-01-01", predicate=PM.validFrom),
        Column("valid_to", DATE, "Date à laquelle ce sens a cessé d'avoir cours (vide = actuel). / In use until.",
               "2018-12-31", predicate=PM.validUntil),
        Column("replaced_by", REF, "Sens qui l'a remplacé (nouveau nom, nouvelle catégorie). / Replaced by.",
               "g-be-sase", multi=True, refs=("glossary",), predicate=DCTERMS.isReplacedBy),
        *_source_columns(),
    ),
    scheme=PM.glossaryScheme,
)

REFERRALS = Table(
    "referrals",
    "Les liens d'orientation entre types de service ou acteurs. / Referral links.",
    PM.Referral,
    (
        _id("ref-amo-saj"),
        Column("from", REF, "Qui oriente (type de service ou acteur). / Referring side.", "st-amo", required=True,
               refs=("service_types", "actors"), predicate=PM.referralFrom),
        Column("to", REF, "Vers qui (type de service ou acteur). / Referred-to side.", "st-saj", required=True,
               refs=("service_types", "actors"), predicate=PM.referralTo),
        Column("both_ways", BOOL, "Orientation aussi dans l'autre sens ? / Both ways?", "no", required=True,
               predicate=PM.bidirectional),
        Column("condition_kind", ENUM, "Ce qui conditionne l'orientation. / Condition kind(s).", "consent",
               required=True, multi=True, values=CONDITION_KINDS, enum_prefix="condition",
               predicate=PM.conditionKind),
        Column("condition", TEXT, "La condition en clair. / The condition in words.",
               "avec l'accord du jeune et de sa famille", predicate=PM.condition, lang="fr"),
        Column("need", TEXT, "Le besoin qui motive l'orientation. / The need.", "difficultés éducatives graves",
               predicate=PM.need, lang="fr"),
        *_source_columns(),
    ),
)

AGREEMENTS = Table(
    "agreements",
    "Protocoles, chartes, conventions et partenariats entre secteurs. / Protocols and agreements.",
    PM.Agreement,
    (
        _id("protocole-aaj-cpas-2014"),
        Column("label", TEXT, "Intitulé. / Title.", "Protocole de collaboration AAJ–CPAS", required=True,
               predicate=RDFS.label, lang="fr", extra_predicates=(SKOS.prefLabel,)),
        Column("kind", ENUM, "Forme. / Kind.", "protocol", required=True, values=AGREEMENT_KINDS,
               enum_prefix="agreement", predicate=PM.agreementKind),
        Column("parties", REF, "Parties : acteurs, types de service ou secteurs. / Parties.", "st-saj|st-cpas",
               required=True, multi=True, refs=("actors", "service_types", "sectors"), predicate=PM.party),
        Column("date", DATE, "Date de signature ou d'adoption. / Date signed.", "2014", predicate=DCTERMS.issued),
        Column("status", ENUM, "Statut lors de la vérification. / Status.", "current", required=True,
               values=AGREEMENT_STATUSES, enum_prefix="status", predicate=PM.status),
        Column("last_revised", DATE, "Dernière révision. / Last revised.", "2020", predicate=PM.lastRevised),
        Column("revises", REF, "Accord antérieur révisé ou remplacé. / Earlier agreement revised.", "",
               refs=("agreements",), predicate=PM.revises),
        Column("legal_basis", TEXT, "Base légale. / Legal basis.", "", predicate=PM.legalBasis),
        Column("description", TEXT, "Objet de l'accord. / What it settles.", "", predicate=DCTERMS.description,
               lang="fr"),
        Column("url", URL, "Texte public. / Public text.", "", predicate=FOAF.page),
        *_freshness_columns(required=True),
        *_source_columns(),
    ),
)

MEMBERSHIPS = Table(
    "memberships",
    "Qui participe à quelle plateforme, quel réseau, quel projet. / Who takes part in which collective.",
    PM.Membership,
    (
        _id("m-passages-chantier5"),
        Column("member", REF, "Acteur ou poste membre. / Member actor or post.", "amo-passages", required=True,
               refs=("actors", "posts"), predicate=ORG.member),
        Column("collective", REF, "Plateforme, réseau, projet ou programme. / Collective.", "chantier-5",
               required=True, refs=("actors",), predicate=PM.collective),
        Column("role", TEXT, "Rôle. / Role.", "coprésidence", predicate=PM.roleLabel, lang="fr"),
        Column("start", DATE, "Début. / Start.", "2022-05", predicate=PM.startDate),
        Column("end", DATE, "Fin. / End.", "", predicate=PM.endDate),
        *_freshness_columns(required=True),
        *_source_columns(),
    ),
)

OFFICIAL_COUNTS = Table(
    "official_counts",
    "Combien de services d'un type existent officiellement sur un territoire, selon une source publique : "
    "l'étalon de la couverture. / Official counts of a service type in a territory, to measure coverage.",
    PM.OfficialCount,
    (
        _id("oc-be-fwb-amo"),
        Column("territory", REF, "Territoire compté. / Territory counted.", "be-fwb", required=True,
               refs=("territories",), predicate=PM.countTerritory),
        Column("service_type", REF, "Type de service compté. / Service type counted.", "st-be-amo", required=True,
               refs=("service_types",), predicate=PM.countServiceType),
        Column("count", NUMBER, "Nombre officiel. / Official number.", "81", required=True,
               predicate=PM.officialCount),
        Column("as_of", DATE, "Date à laquelle le nombre valait. / Date of the count.", "2012", predicate=PM.countDate),
        Column("note", TEXT, "Remarque. / Note.", "", predicate=SKOS.note, lang="fr"),
        *_source_columns(),
    ),
)

TABLES: tuple[Table, ...] = (
    SOURCES, SECTORS, TERRITORIES, FUNCTIONS, SERVICE_TYPES, ACTORS, POSTS, GLOSSARY, REFERRALS, AGREEMENTS,
    MEMBERSHIPS, OFFICIAL_COUNTS,
)
"""Every table, in load order (a table may only be needed by later ones for documentation; refs resolve globally)."""

TABLES_BY_NAME = {t.name: t for t in TABLES}

# the properties used by the row-provenance triples
ROW_TABLE, ROW_NUMBER = PM.fromTable, PM.fromRow
