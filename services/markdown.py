"""Text that staff type into forms, made fit to show: Markdown as safe HTML
for the pages (news, event, city and network descriptions), and plain
paragraphs for mails. Browsers send a textarea's line breaks as CRLF, so
neither may split on "\\n\\n" alone."""

from __future__ import annotations

import functools
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
# Texts rendered lately: the same description is rendered for every visitor
# of its page, and parsing and cleaning it is a tenth of the page's cost.
RECENT_TEXTS = 512


@functools.lru_cache(maxsize=RECENT_TEXTS)
def render_markdown(text: str | None) -> Markup:
    """Staff Markdown as safe HTML: raw HTML is shown as text, headings start
    at h2 (the page's title is the h1), images in the text become their alt
    text, and nh3 keeps only the allow-listed tags, attributes and URL schemes."""
    if not text:
        return Markup("")
    tokens = _markdown.parse(text)
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{min(int(token.tag[1]) + 1, 4)}"
        for child in token.children or ():
            if child.type == "image":
                child.type, child.tag, child.attrs, child.children = "text", "", {}, None
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return Markup(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            clean_content_tags={"script", "style"},
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
            strip_comments=True,
        )
    )


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def paragraphs(text: str | None) -> list[str]:
    """Plain text split at blank lines, whichever line breaks it was typed with;
    the lines inside a paragraph stay (templates show them with pre-line)."""
    if not text:
        return []
    return [part.strip() for part in BLANK_LINE.split(normalise_newlines(text)) if part.strip()]
