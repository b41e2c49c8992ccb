"""When the public sees a post is defined once (NewsPost.is_visible): the
staff pages ask the post, the public queries ask the database, and both
agree, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import NewsPost, NewsStatus
from services import news

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
CASES = [
    (NewsStatus.PUBLISHED, NOW - timedelta(days=1), True),
    (NewsStatus.PUBLISHED, NOW, True),
    (NewsStatus.PUBLISHED, NOW + timedelta(seconds=1), False),
    (NewsStatus.PUBLISHED, None, False),
    (NewsStatus.DRAFT, NOW - timedelta(days=1), False),
]


@pytest.mark.parametrize(("status", "published_at", "visible"), CASES)
def test_a_post_is_visible_alike_on_the_post_and_in_the_query(app, status, published_at, visible):
    post = NewsPost(slug="partnerschaft", status=status, published_at=published_at, is_pinned=False)
    post.set_text("de", title="Partnerschaft", teaser="Kurz")
    db.session.add(post)
    db.session.commit()
    assert post.is_visible(NOW) is visible
    assert (db.session.scalar(select(NewsPost.id).where(NewsPost.is_visible(NOW))) is not None) is (
        visible
    )
    assert (news.visible_post(db.session, "partnerschaft", NOW) is not None) is visible
