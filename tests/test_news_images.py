"""Images of the announcements (services/news_images.py): stored re-encoded
without metadata, served from media only for visible posts and under names
the app chose, refused with a message when they are no small JPEG, PNG or
WebP, and deleted when replaced or removed."""

from __future__ import annotations

import os
import re
from io import BytesIO
from pathlib import Path

import pytest
from PIL import ExifTags, Image, PngImagePlugin
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from extensions import db
from models import NewsPost, NewsStatus
from services import news_images
from tests.conftest import csrf_token, submit
from tests.test_news import (  # noqa: F401 (app, editor, make_post: fixtures)
    ENGLISH,
    app,
    editor,
    image_bytes,
    make_post,
    post_form,
    uploads,
)


def test_a_png_is_stored_re_encoded_and_served_from_media(app, editor, client):
    comment = PngImagePlugin.PngInfo()
    comment.add_text("Comment", "secret note")
    original = image_bytes(pnginfo=comment)
    form = post_form(
        image=(BytesIO(original), "Rathaus.PNG"),
        image_alt_de="Das Rathaus",
        image_alt_en="Town hall",
    )
    assert submit(editor, "/admin/news/new", form).status_code == 303
    post = db.session.scalar(select(NewsPost))
    [stored] = uploads(app)
    assert stored.name == post.image_filename and re.fullmatch(
        r"[A-Za-z0-9_-]{20,}\.png", stored.name
    )
    assert stored.read_bytes() != original
    with Image.open(stored) as reopened:
        assert (
            reopened.format == "PNG"
            and reopened.size == (40, 30)
            and "Comment" not in reopened.info
        )
    with client.get(f"/media/{stored.name}") as served:
        assert (served.status_code, served.mimetype, served.headers["X-Content-Type-Options"]) == (
            200,
            "image/png",
            "nosniff",
        )
        assert served.data == stored.read_bytes()
    page = client.get("/en/news/delegation-raleigh/").get_data(as_text=True)
    assert f'<img class="news-image" src="/media/{stored.name}" alt="Town hall">' in page


def test_an_image_larger_than_the_global_body_limit_can_be_uploaded_by_editors_only(
    app, editor, staff_client
):
    buffer = BytesIO()
    Image.frombytes("RGB", (600, 600), os.urandom(600 * 600 * 3)).save(
        buffer, "PNG"
    )  # noise barely compresses
    assert len(buffer.getvalue()) > app.config["MAX_CONTENT_LENGTH"]
    form = post_form(
        image=FileStorage(BytesIO(buffer.getvalue()), "rauschen.png", content_type="image/png"),
        image_alt_de="Rauschen",
    )
    # Encoded in memory: the test client would spool a large body to a temporary file it never
    # closes.
    boundary, body = encode_multipart({"csrf_token": csrf_token(editor, "/admin/news/new"), **form})
    content_type = f"multipart/form-data; boundary={boundary}"
    assert editor.post("/admin/news/new", data=body, content_type=content_type).status_code == 303
    assert len(uploads(app)) == 1
    organiser = staff_client("organiser")  # everyone else keeps the global limit
    assert (
        organiser.post("/admin/news/new", data=body, content_type=content_type).status_code == 413
    )


@pytest.mark.parametrize(
    ("content", "fields", "message"),
    [
        (
            b"just some text, not an image\n",
            {"image_alt_de": "Ein Foto"},
            "not a JPEG, PNG or WebP image",
        ),
        (
            image_bytes(),
            {"image_alt_en": "Only English"},
            "Please describe the image",
        ),  # German is required
    ],
    ids=["text-file-named-png", "no-description"],
)
def test_an_upload_is_refused_with_a_message_and_nothing_is_stored(
    app, editor, content, fields, message
):
    form = post_form(image=(BytesIO(content), "foto.png"), **fields)
    response = submit(editor, "/admin/news/new", form, headers=ENGLISH)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(NewsPost)) == 0
    assert uploads(app) == []


def test_replacing_and_removing_an_image_deletes_the_old_file(app, editor):
    submit(
        editor,
        "/admin/news/new",
        post_form(image=(BytesIO(image_bytes()), "a.png"), image_alt_de="Erstes Bild"),
    )
    post = db.session.scalar(select(NewsPost))
    url = f"/admin/news/{post.id}/edit"
    [first] = uploads(app)
    assert (
        submit(editor, url, post_form(image_alt_de="")).status_code == 422
    )  # the kept image needs its description
    submit(
        editor,
        url,
        post_form(image=(BytesIO(image_bytes((10, 10))), "b.png"), image_alt_de="Zweites Bild"),
    )
    [second] = uploads(app)
    assert second != first
    assert submit(editor, url, post_form(remove_image="y")).status_code == 303
    assert uploads(app) == []
    db.session.expire_all()
    post = db.session.get(NewsPost, post.id)
    assert post.image_filename is None and post.texts["de"].image_alt is None


def test_a_jpeg_loses_its_gps_position_and_other_exif(app):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Kamera"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (54.0, 5.0, 30.0)}
    )
    data = image_bytes((32, 24), "JPEG", exif=exif)
    with Image.open(BytesIO(data)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    with app.test_request_context():
        name = news_images.store_image(FileStorage(BytesIO(data), "urlaub.jpg"))
    assert name.endswith(".jpg")
    with Image.open(Path(app.config["UPLOAD_FOLDER"]) / name) as stored:
        assert stored.format == "JPEG" and len(stored.getexif()) == 0 and "exif" not in stored.info
    with app.test_request_context():  # the decoded format decides, not the file name
        assert news_images.store_image(
            FileStorage(BytesIO(image_bytes(kind="WEBP", mode="RGBA")), "bild.jpg")
        ).endswith(".webp")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (image_bytes(kind="GIF"), "not a JPEG, PNG or WebP"),
        (image_bytes()[:60], "not a JPEG, PNG or WebP"),  # truncated
        (image_bytes((6001, 1)), "larger than 6000"),
        (b"\x89PNG" + b"\x00" * (5 * 1024 * 1024), "larger than 5 MB"),
        (b"", "not a JPEG, PNG or WebP"),
    ],
    ids=["gif", "truncated", "too-wide", "too-heavy", "empty"],
)
def test_store_image_refuses_what_is_not_a_small_jpeg_png_or_webp(app, data, message):
    with (
        app.test_request_context(headers=ENGLISH),
        pytest.raises(news_images.ImageRefused, match=message),
    ):
        news_images.store_image(FileStorage(BytesIO(data), "bild.png"))
    assert uploads(app) == []


def test_media_serves_only_images_of_visible_posts_and_app_chosen_names(
    app, client, make_post, editor
):
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True)
    for name in ("sichtbar.png", "entwurf.png", "ohnepost.png"):
        (folder / name).write_bytes(image_bytes())
    make_post("sichtbar", image_filename="sichtbar.png")
    make_post("entwurf", status=NewsStatus.DRAFT, image_filename="entwurf.png")
    with client.get("/media/sichtbar.png") as public:
        assert public.status_code == 200 and "no-store" not in public.headers.get(
            "Cache-Control", ""
        )
    for url in (
        "/media/entwurf.png",
        "/media/ohnepost.png",
        "/media/sichtbar.svg",
        "/media/..%2Fsecret_key",
        "/media/a.b.png",
    ):
        assert client.get(url).status_code == 404, url
    with editor.get("/media/entwurf.png") as preview:
        assert preview.status_code == 200 and preview.headers["Cache-Control"] == "no-store"
