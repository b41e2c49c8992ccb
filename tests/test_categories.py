"""Event categories: admins keep them, the event form files events under
them, and the event page and list name them in the page's language."""

from __future__ import annotations

from sqlalchemy import select

from extensions import db
from models import AuditEntry, Category, Event
from services import categories
from tests.conftest import submit
from tests.test_admin_events import event_form


def add_category(slug: str, name_de: str, name_en: str | None = None) -> Category:
    category = Category(slug=slug)
    category.set_text("de", name=name_de)
    if name_en:
        category.set_text("en", name=name_en)
    db.session.add(category)
    db.session.commit()
    return category


def test_an_admin_adds_and_renames_a_category(staff_client):
    admin = staff_client("admin")
    response = submit(
        admin, "/admin/categories", {"slug": "jugend", "name_de": "Jugend", "name_en": "Youth"}
    )
    assert response.status_code == 303
    category = db.session.scalar(select(Category).where(Category.slug == "jugend"))
    assert category.text("name", "en") == "Youth"
    page = admin.get("/admin/categories").get_data(as_text=True)
    assert "Jugend" in page and "Youth" in page
    edit = f"/admin/categories/{category.id}/edit"
    response = submit(admin, edit, {"slug": "jugend", "name_de": "Jugendliche", "name_en": ""})
    assert response.status_code == 303
    db.session.expire_all()
    assert category.text("name", "en") == "Jugendliche"  # falls back to German
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["category.create", "category.update"]


def test_a_category_needs_a_german_name_and_a_free_slug(staff_client):
    admin = staff_client("admin")
    add_category("jugend", "Jugend")
    response = submit(admin, "/admin/categories", {"slug": "jugend", "name_de": "Noch mal"})
    assert response.status_code == 422
    assert "bereits von einer anderen Kategorie verwendet" in response.get_data(as_text=True)
    response = submit(admin, "/admin/categories", {"slug": "Schule!", "name_de": ""})
    assert response.status_code == 422
    assert db.session.scalar(select(Category).where(Category.slug != "jugend")) is None


def test_only_admins_keep_categories(staff_client):
    for role in ("organiser", "editor"):
        assert staff_client(role).get("/admin/categories").status_code == 403


def test_the_event_form_files_an_event_under_categories(staff_client):
    add_category("jugend", "Jugend", "Youth")
    add_category("austausch", "Austausch", "Exchange")
    organiser = staff_client("organiser")
    form = event_form(starts_at="2030-09-18T10:00", ends_at="2030-09-18T16:00")
    del form["registration_closes_at"]
    data = {**form, "categories": ["jugend", "austausch"]}
    assert submit(organiser, "/admin/events/new", data).status_code == 303
    event = db.session.scalar(select(Event).where(Event.slug == "forumtheater-2026"))
    assert [c.slug for c in event.categories] == ["austausch", "jugend"]
    edit = f"/admin/events/{event.id}/edit"
    page = organiser.get(edit).get_data(as_text=True)
    assert '<option selected value="jugend">' in page
    assert submit(organiser, edit, {**form, "categories": ["jugend"]}).status_code == 303
    db.session.expire_all()
    assert [c.slug for c in event.categories] == ["jugend"]
    assert "categories" in db.session.scalars(select(AuditEntry)).all()[-1].details["changed"]


def test_an_unknown_category_is_refused(staff_client):
    add_category("jugend", "Jugend")
    organiser = staff_client("organiser")
    data = {**event_form(), "categories": ["gibt-es-nicht"]}
    assert submit(organiser, "/admin/events/new", data).status_code == 422


def test_the_event_page_and_list_name_the_categories(client, make_event):
    event = make_event()
    event.categories = [add_category("jugend", "Jugend", "Youth")]
    db.session.commit()
    page = client.get(f"/de/events/{event.slug}/").get_data(as_text=True)
    assert 'href="/de/events/?category=jugend">Jugend</a>' in page
    assert "Youth" in client.get("/en/events/").get_data(as_text=True)


def test_choices_are_in_alphabetical_order_of_the_language(app):
    add_category("z", "Ärger", "Zoo")
    add_category("a", "Zirkus", "Anger")
    assert [slug for slug, _ in categories.choices(db.session, "de")] == ["z", "a"]
    assert [slug for slug, _ in categories.choices(db.session, "en")] == ["a", "z"]
