"""User Markdown cannot carry script: an XSS corpus and generated Markdown through the renderer."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from convoca.core import markdown

CORPUS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))", "[x](&#106;avascript:alert(1))", "![x](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>", "<svg onload=alert(1)>", "<iframe src=//evil>",
    "<div style=\"background:url(javascript:alert(1))\">", "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "`<script>`",
    "<<script>script>alert(1)<</script>/script>", "[x](vbscript:msgbox(1))", "<details open ontoggle=alert(1)>",
]  # fmt: skip
DANGER = re.compile(r"<\s*(script|iframe|svg|object|embed|style|img)\b|\son\w+\s*=|(javascript|vbscript|data):", re.I)


def safe(html: str) -> bool:
    # text content is escaped; look only at what is markup (tags and attribute values)
    markup = " ".join(re.findall(r"<[^>]*>", html))
    return not DANGER.search(markup)


def test_the_corpus_is_neutralised():
    for attack in CORPUS:
        html = markdown.render(attack)
        assert safe(html), (attack, html)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(CORPUS), st.text(max_size=40),
                          st.sampled_from(["**", "_", "[", "](", ")", "<", ">", "\n\n", "# ", "> ", "- ", "`"])),
                max_size=12))  # fmt: skip
def test_generated_markdown_never_yields_script(parts):
    assert safe(markdown.render("".join(parts)))


def test_ordinary_markdown_survives():
    html = markdown.render("**bold** [link](https://example.org) and\n\n> quote")
    assert "<strong>bold</strong>" in html and 'href="https://example.org"' in html and "<blockquote>" in html
