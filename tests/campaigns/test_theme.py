"""A campaign's colours and logo: refused when they would make text unreadable or carry anything
but pixels; served from the database under hashed URLs, cached for a year; the CSP stays strict."""

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from convoca.campaigns import theme
from convoca.campaigns.admin import CampaignForm
from convoca.campaigns.models import CampaignText
from tests import factories

pytestmark = pytest.mark.django_db


def png(width=2, height=1, padding=0) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x0b\x5c\x4f" * width for _ in range(height)))
    extra = chunk(b"tEXt", b"c\x00" + b"x" * padding) if padding else b""
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_contrast_is_computed_as_wcag_says():
    assert round(theme.contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(theme.contrast("#767676", "#ffffff"), 2) == 4.54  # the classic lightest grey on white
    assert theme.contrast("#777777", "#ffffff") < 4.5 < theme.contrast("#767676", "#ffffff")


@pytest.mark.parametrize("value", ["0b5c4f", "#0b5c4", "#0b5c4g", "red", "#0b5c4f ", "rgb(0,0,0)"])
def test_a_colour_must_be_six_hex_digits(value):
    with pytest.raises(ValidationError) as error:
        theme.validate_accent(value)
    assert error.value.code == "format"
    assert "#0b5c4f" in str(error.value.messages[0])


def test_a_light_accent_is_refused_with_a_darker_suggestion_that_passes():
    with pytest.raises(ValidationError) as error:
        theme.validate_accent("#f2a900")
    message = error.value.messages[0]
    assert error.value.code == "contrast"
    assert "1.9:1" in message and "4.5:1" in message and "darker" in message
    suggestion = error.value.params["suggestion"]
    assert suggestion in message
    theme.validate_accent(suggestion)  # the suggestion itself passes
    assert theme.contrast(suggestion, "#fbfaf7") >= 4.5


def test_a_dark_soft_colour_is_refused_with_a_lighter_suggestion():
    with pytest.raises(ValidationError) as error:
        theme.validate_soft("#0b5c4f")
    suggestion = error.value.params["suggestion"]
    assert "lighter" in error.value.messages[0]
    theme.validate_soft(suggestion)
    theme.validate_soft("#e3f1ed")


def test_the_model_checks_its_colours():
    campaign = factories.campaign()
    campaign.accent_color = "#ffcc00"
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert set(error.value.message_dict) == {"accent_color"}
    campaign.accent_color = "#8a1538"
    campaign.soft_color = "#fbe9ee"
    campaign.full_clean()


def form(campaign, upload=None, **data):
    fields = {"slug": campaign.slug, "languages": '["en", "ar"]', "accent_color": "", "soft_color": "", **data}
    return CampaignForm(data=fields, files={"logo_file": upload} if upload else {}, instance=campaign)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (png(padding=200 * 1024), "big.png", "at most 200 KB"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg", "SVG is not"),
        (b"GIF89a" + b"\x00" * 40, "logo.gif", "PNG, JPEG or WebP"),
        (b"<html><script>alert(1)</script></html>", "logo.png", "PNG, JPEG or WebP"),
    ],
)
def test_the_admin_refuses_a_logo_that_is_too_large_or_not_a_raster_image(content, name, message):
    campaign = factories.campaign()
    bound = form(campaign, SimpleUploadedFile(name, content))
    assert not bound.is_valid()
    assert any(message in error for error in bound.errors["logo_file"]), bound.errors


def test_the_admin_refuses_colours_that_fail_contrast():
    campaign = factories.campaign()
    bound = form(campaign, accent_color="#ffcc00", soft_color="#333333")
    assert not bound.is_valid()
    assert "darker one such as" in bound.errors["accent_color"][0]
    assert "lighter one such as" in bound.errors["soft_color"][0]


def test_a_logo_is_stored_served_with_its_type_and_cached_for_a_year(client):
    campaign = factories.campaign()
    image = png()
    bound = form(campaign, SimpleUploadedFile("logo.png", image), accent_color="#8a1538")
    assert bound.is_valid(), bound.errors
    bound.save()
    campaign.refresh_from_db()
    assert bytes(campaign.logo.data) == image and campaign.logo_type == "image/png"

    answer = client.get(f"/theme/{campaign.slug}/logo-{campaign.logo_hash}")
    assert answer.status_code == 200 and answer.content == image
    assert answer["Content-Type"] == "image/png"
    assert answer["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Content-Security-Policy"].startswith("default-src 'none'")
    assert "Set-Cookie" not in answer

    stale = client.get(f"/theme/{campaign.slug}/logo-0123456789abcdef")
    assert stale.status_code == 302 and stale["Location"].endswith(campaign.logo_hash)
    assert "no-store" in stale["Cache-Control"]

    bound = form(campaign, remove_logo="on")
    assert bound.is_valid()
    bound.save()
    assert client.get(f"/theme/{campaign.slug}/logo-{campaign.logo_hash}").status_code == 404


def test_pages_use_the_colours_through_a_hashed_stylesheet_and_keep_a_strict_csp(client):
    statement = factories.statement(slug="letter")
    campaign = statement.campaign
    campaign.accent_color, campaign.soft_color = "#8a1538", "#fbe9ee"
    campaign.save()
    campaign.set_logo(png())
    CampaignText.objects.filter(campaign=campaign, language="en").update(logo_alt="Water coalition: a drop")

    page = client.get("/en/s/letter/")
    html = page.content.decode()
    version = theme.stylesheet_version(campaign)
    assert f'<link rel="stylesheet" href="/theme/{campaign.slug}/{version}.css">' in html
    assert f'<img class="campaign-logo" src="/theme/{campaign.slug}/logo-{campaign.logo_hash}"' in html
    assert 'alt="Water coalition: a drop"' in html
    assert " style=" not in html and "<style" not in html
    policy = page["Content-Security-Policy"]
    directives = {part.strip().split(" ", 1)[0]: part.strip() for part in policy.split(";") if part.strip()}
    assert directives["style-src"] == "style-src 'self'" and directives["script-src"] == "script-src 'self'", policy
    assert "unsafe-inline" not in policy  # (the header's directive order varies between processes)

    css = client.get(f"/theme/{campaign.slug}/{version}.css")
    assert css.status_code == 200 and css["Content-Type"] == "text/css; charset=utf-8"
    assert css.content.decode() == ":root { --accent: #8a1538; --accent-soft: #fbe9ee; }\n"
    assert css["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get(f"/theme/{campaign.slug}/old.css").status_code == 302

    assert 'alt="Water coalition: a drop"' in client.get(f"/en/c/{campaign.slug}/actions/").content.decode()


def test_a_campaign_without_branding_adds_nothing():
    from django.test import Client

    statement = factories.statement(slug="plain")
    html = Client().get("/en/s/plain/").content.decode()
    assert "/theme/" not in html
    assert Client().get(f"/theme/{statement.campaign.slug}/x.css").status_code == 404
