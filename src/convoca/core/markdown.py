"""User-written Markdown to safe HTML: markdown-it-py in its `js-default` preset, then nh3."""

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("js-default")

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "a", "ul", "ol", "li", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}


def render(text: str) -> str:
    html = _md.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
