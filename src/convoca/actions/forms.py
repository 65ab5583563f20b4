"""One validation for submitted actions, used by the HTML form and the JSON API alike."""

from django import forms
from django.utils.translation import gettext_lazy as _

from convoca.actions import places, zones
from convoca.actions.models import Action
from convoca.core import l10n, languages
from convoca.statements.forms import ERRORS, TextField

APPROXIMATE_DECIMALS = 2  # about a kilometre
LOCAL_TIME = {"type": "datetime-local", "step": "60"}  # the browser's picker sends YYYY-MM-DDTHH:MM


class ActionForm(forms.Form):
    title = TextField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=5000, widget=forms.Textarea, error_messages=ERRORS)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[(language.code, language.native_name) for language in languages.REGISTRY],
        error_messages=ERRORS,
    )
    kind = forms.ChoiceField(label=_("Kind of action"), choices=Action.Kind.choices, error_messages=ERRORS)
    starts_at = forms.CharField(
        label=_("Starts (local time)"), max_length=19, error_messages=ERRORS, widget=forms.TextInput(attrs=LOCAL_TIME)
    )
    ends_at = forms.CharField(
        label=_("Ends (local time)"),
        max_length=19,
        required=False,
        error_messages=ERRORS,
        widget=forms.TextInput(attrs=LOCAL_TIME),
    )
    timezone = forms.CharField(label=_("Time zone (online actions)"), max_length=64, required=False)
    online_url = forms.URLField(
        label=_("Link (online actions)"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={**ERRORS, "invalid": _("Enter a valid web address.")},
    )
    venue = TextField(label=_("Venue"), max_length=200, required=False)
    address = TextField(label=_("Address"), max_length=300, required=False)
    city = TextField(
        label=_("City"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"list": "city-options", "autocomplete": "off", "dir": "auto"}),
    )
    country = forms.ChoiceField(label=_("Country"), choices=[], required=False, error_messages=ERRORS)
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90, required=False)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180, required=False)
    approximate_location = forms.BooleanField(label=_("Show only an approximate location"), required=False)
    accessibility = forms.CharField(label=_("Accessibility"), max_length=1000, required=False)
    group_name = TextField(label=_("Organizing group (public)"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10_000_000, required=False)
    organizer_name = TextField(label=_("Your name (private)"), max_length=100)
    organizer_email = forms.EmailField(
        label=_("Your e-mail (private)"),
        max_length=254,
        error_messages={**ERRORS, "invalid": _("Enter a valid email address.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *l10n.country_choices(l10n.current_language())]

    def _wall(self, field):
        text = self.cleaned_data.get(field)
        if not text:
            return None
        try:
            return zones.parse_wall_time(text)
        except ValueError:
            self.add_error(field, _("Give the local date and time as YYYY-MM-DDTHH:MM, without a time zone."))
            return None

    def clean(self):
        data = super().clean()
        online = data.get("kind") == Action.Kind.ONLINE or (bool(data.get("online_url")) and not data.get("city"))
        data["online"] = online
        if online:
            if not data.get("online_url"):
                self.add_error("online_url", _("Give the link where people join the online action."))
            zone = data.get("timezone") or ""
            if not zones.is_zone(zone):
                self.add_error("timezone", _("Give the time zone of the start time, e.g. America/Sao_Paulo."))
            for field in ("latitude", "longitude", "approximate_location"):
                data[field] = None if field != "approximate_location" else False
        else:
            zone = self._place(data)
        data["timezone"] = zone
        starts, ends = self._wall("starts_at"), self._wall("ends_at")
        if starts and zone and zones.is_zone(zone):
            try:
                data["starts_utc"] = zones.to_utc(starts, zone)
            except zones.NonexistentTime:
                self.add_error("starts_at", _("This time does not exist there: the clocks skip it that day."))
            if ends:
                if ends <= starts:
                    self.add_error("ends_at", _("The end must come after the start."))
                else:
                    try:
                        data["ends_utc"] = zones.to_utc(ends, zone)
                    except zones.NonexistentTime:
                        self.add_error("ends_at", _("This time does not exist there: the clocks skip it that day."))
        data["starts_local"] = starts.strftime("%Y-%m-%dT%H:%M") if starts else ""
        data["ends_local"] = ends.strftime("%Y-%m-%dT%H:%M") if ends else ""
        return data

    def _place(self, data) -> str:
        """Coordinates (or the city's), and the zone there."""
        if not data.get("country"):
            self.add_error("country", _("This field is required."))
            return ""
        if not data.get("city"):
            self.add_error("city", _("This field is required."))
            return ""
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None):
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
            return ""
        if latitude is None:
            found = places.search(data["city"], data["country"], limit=1)
            if not found:
                self.add_error("city", _("We could not find this city; check its spelling or give coordinates."))
                return ""
            latitude, longitude = found[0].latitude, found[0].longitude
        zone = zones.zone_at(latitude, longitude) or data.get("timezone") or ""
        if not zones.is_zone(zone):
            self.add_error("timezone", _("Give the time zone of the start time, e.g. America/Sao_Paulo."))
        data["exact"] = (latitude, longitude)
        if data.get("approximate_location"):
            latitude, longitude = round(latitude, APPROXIMATE_DECIMALS), round(longitude, APPROXIMATE_DECIMALS)
        data["latitude"], data["longitude"] = latitude, longitude
        return zone


class RsvpForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Only to confirm and to tell you if the action changes. Never shown, not even to the organizers."),
        error_messages={**ERRORS, "invalid": _("Enter a valid email address.")},
    )
    name = TextField(label=_("Name (optional)"), max_length=100, required=False)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to everyone who is coming"), max_length=5000, widget=forms.Textarea, error_messages=ERRORS
    )


class ActionEditForm(ActionForm):
    """The organizer's edit through the manage link: everything but who they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["organizer_name"]
        del self.fields["organizer_email"]

    @staticmethod
    def initial_for(action) -> dict:
        latitude, longitude = action.latitude, action.longitude
        if action.approximate_location and action.exact_location:
            latitude, longitude = (float(part) for part in action.exact_location.split(","))
        fields = ["title", "description", "language", "kind", "online_url", "venue", "address", "city", "country",
                  "approximate_location", "accessibility", "group_name", "capacity"]  # fmt: skip
        initial = {field: getattr(action, field) for field in fields}
        initial.update(
            starts_at=action.starts_local, ends_at=action.ends_local, timezone=action.timezone,
            latitude=latitude, longitude=longitude,
        )  # fmt: skip
        return initial
