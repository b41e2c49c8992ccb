"""Demo announcements from the city's own pages (../shared/seeds), for `flask seed-demo`.

The German texts are the city's, word for word, with two exceptions: the
Forumtheater announcement breaks off mid-sentence in the source ("zwischen
14-18 Jahren, mit oder ohne"), so that sentence ends after "Jahren" rather than
guessing the rest; and its "hier" was a link on the city's site, so here it
links to the workshop's page in this app. The English texts are translations.
The Panajachel note says only what ../shared/data/partner_cities.csv records.

Publication dates. The sources give none, and none is invented. The rule:
a post is dated on the last day its text was current —
- a report on something past: the last day of what it reports
  (the Raleigh visit, 23–28 June 2025: 28 June 2025);
- an announcement: the last day one could act on it, its registration deadline
  (the Forumtheater workshop on 19.09.2025, registration until 12.09.2025:
  12 September 2025);
- a note that something was founded: the founding day
  (the friendship circle Rostock – Panajachel: 23 January 2019).
No time of day is claimed: posts are dated 00:00 in the city's time zone.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import NewsPost, NewsStatus
from services.demo import EMPOWERMENT_DE, EMPOWERMENT_EN, METHOD_DE, METHOD_EN
from services.localtime import from_local

RALEIGH = {
    "de": {
        "title": "Rostock - Raleigh",
        "teaser": (
            "Vom 23. bis 28. Juni 2025 besuchte eine Rostocker Delegation die Partnerstadt "
            "Raleigh, North Carolina."
        ),
        "body": "\n\n".join(
            [
                "Die Fachaustauschreise fand im Rahmen des „Urban Diplomacy Exchange Projekts“ "
                "statt, welches im "
                "Auftrag des Auswärtigen Amtes durchgeführt und gefördert und von der "
                "Servicestelle Kommunen in der "
                "Einen Welt (SKEW) von Engagement Global in Kooperation mit dem Deutschen "
                "Städtetag umgesetzt wird. "
                "Das Programm in Raleigh wurde in enger Zusammenarbeit mit dem „Raleigh Sister "
                "Cities“ Verein "
                "konzipiert, und bestand aus Treffen mit Fachleuten aus Bereichen Stadtplanung, "
                "Nachhaltigkeit, "
                "Jugendarbeit und Städtediplomatie, Besuchen von Institutionen wie Rathaus, Peach "
                "Road Cultural Center "
                "und NC State University, Stadtbesichtigungen wie den Dorothea Dix Park sowie "
                "kulturellen und sozialen "
                "Veranstaltungen, um die gemeinsamen Prioritäten in Bezug auf die drei wichtigsten "
                "Ziele für "
                "nachhaltige Entwicklung („Sustainable Development Goals“: SDGs) zu unterstützen: "
                "Nachhaltige Städte "
                "und Gemeinden (SDG 11), die Beteiligung der Jugend am staatsbürgerlichen Leben "
                "(SDG 16) und die "
                "Stärkung globaler Städtepartnerschaften (SDG 17).",
                "Ziele der Fachaustauschreise waren praktische Modelle für die Integration von "
                "Immigranten und die "
                "nachhaltige Entwicklung von Stadtvierteln zu präsentieren, effektive Strategien "
                "zur "
                "Jugendbeteiligung vorzustellen und die Partnerschaft zwischen Rostock und Raleigh "
                "durch anhaltenden "
                "Dialog, gegenseitigem Lernen und Kulturdiplomatie zu stärken.",
                "Der Austausch war für alle Teilnehmenden eine wertvolle Erfahrung. Der Besuch "
                "schuf eine solide "
                "Grundlage für eine kontinuierliche Zusammenarbeit und gegenseitige Unterstützung "
                "zwischen unseren "
                "Städten, um lokale Innovationen mit globalen Zielen in Einklang zu bringen. Neben "
                "den fachlichen "
                "Einblicken trugen auch die persönlichen Begegnungen mit den amerikanischen "
                "Kollegen wesentlich zur "
                "Stärkung der Städtediplomatie und der transatlantischen Zusammenarbeit bei.",
            ]
        ),
    },
    "en": {
        "title": "Rostock - Raleigh",
        "teaser": (
            "From 23 to 28 June 2025, a delegation from Rostock visited its partner city Raleigh, "
            "North Carolina."
        ),
        "body": "\n\n".join(
            [
                "The professional exchange trip took place as part of the “Urban Diplomacy "
                "Exchange Project”, which "
                "is carried out and funded on behalf of the Federal Foreign Office and implemented "
                "by the Service "
                "Agency Communities in One World (SKEW) of Engagement Global in cooperation with "
                "the Association of "
                "German Cities (Deutscher Städtetag). The programme in Raleigh was designed in "
                "close cooperation with "
                "the “Raleigh Sister Cities” association. It consisted of meetings with experts in "
                "urban planning, "
                "sustainability, youth work and city diplomacy, visits to institutions such as "
                "City Hall, the Peach "
                "Road Cultural Center and NC State University, tours of sites such as Dorothea Dix "
                "Park, and cultural "
                "and social events, in support of shared priorities regarding the three most "
                "important Sustainable "
                "Development Goals (SDGs): sustainable cities and communities (SDG 11), youth "
                "participation in civic "
                "life (SDG 16) and strengthening global city partnerships (SDG 17).",
                "The aims of the exchange trip were to present practical models for the "
                "integration of immigrants and "
                "for the sustainable development of neighbourhoods, to introduce effective "
                "strategies for youth "
                "participation, and to strengthen the partnership between Rostock and Raleigh "
                "through continued "
                "dialogue, mutual learning and cultural diplomacy.",
                "The exchange was a valuable experience for everyone who took part. The visit laid "
                "a solid foundation "
                "for continued cooperation and mutual support between our cities, bringing local "
                "innovation in line "
                "with global goals. Besides the professional insights, the personal encounters "
                "with our American "
                "colleagues contributed greatly to strengthening city diplomacy and transatlantic "
                "cooperation.",
            ]
        ),
    },
}

FORUMTHEATER = {
    "de": {
        "title": "Veranstaltungshinweis: Workshop Forumtheater am 19.09.2025",
        "teaser": (
            "Anlässlich des Internationalen Tag des Friedens findet im Rostocker Rathaus am "
            "19.09.2025 erstmals "
            "ein Forumtheater-Workshop statt."
        ),
        "body": "\n\n".join(
            [
                EMPOWERMENT_DE,
                METHOD_DE,
                "Eingeladen sind alle Jugendlichen zwischen 14-18 Jahren.\nDie Teilnahme ist "
                "kostenlos und eine "
                "Anmeldung bis zum 12.09.2025 [hier](/de/events/forumtheater-2025/) möglich.",
            ]
        ),
    },
    "en": {
        "title": "Event notice: forum theatre workshop on 19 September 2025",
        "teaser": (
            "To mark the International Day of Peace, Rostock Town Hall hosts a forum theatre "
            "workshop for the "
            "first time on 19 September 2025."
        ),
        "body": "\n\n".join(
            [
                EMPOWERMENT_EN,
                METHOD_EN,
                "All young people aged 14 to 18 are invited.\nTaking part is free of charge; you "
                "can register "
                "[here](/en/events/forumtheater-2025/) until 12 September 2025.",
            ]
        ),
    },
}

PANAJACHEL = {
    "de": {
        "title": "Freundeskreis Rostock – Panajachel gegründet",
        "teaser": (
            "Am 23. Januar 2019 wurde der Freundeskreis Rostock – Panajachel (Guatemala) gegründet."
        ),
        "body": "Panajachel ist seit 2018 eine befreundete Stadt Rostocks.",
    },
    "en": {
        "title": "Rostock – Panajachel friendship circle founded",
        "teaser": (
            "The friendship circle Rostock – Panajachel (Guatemala) was founded on 23 January 2019."
        ),
        "body": "Panajachel has been a friendship city of Rostock since 2018.",
    },
}

# slug, publication day (see the rule above), texts
DEMO_NEWS: list[tuple[str, date, dict[str, dict[str, str]]]] = [
    ("delegation-raleigh-2025", date(2025, 6, 28), RALEIGH),  # last day of the visit
    ("workshop-forumtheater-2025", date(2025, 9, 12), FORUMTHEATER),  # registration deadline
    ("freundeskreis-rostock-panajachel", date(2019, 1, 23), PANAJACHEL),  # founding day
]


def seed_news(session: Session, now: datetime) -> list[str]:
    """Add the demo announcements that are missing; the slugs added (no commit)."""
    existing = set(session.scalars(select(NewsPost.slug)))
    added = []
    for slug, day, texts in DEMO_NEWS:
        if slug in existing:
            continue
        post = NewsPost(
            slug=slug,
            status=NewsStatus.PUBLISHED,
            published_at=from_local(datetime.combine(day, time(0, 0))),
            is_pinned=False,
            created_at=now,
            updated_at=now,
        )
        for lang, fields in texts.items():
            post.set_text(lang, **fields)
        session.add(post)
        added.append(slug)
    return added
