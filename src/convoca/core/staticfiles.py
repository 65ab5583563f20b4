"""Static files under content-hashed names, so that nginx can let browsers keep them for a year."""

from django.contrib.staticfiles.storage import HashedFilesMixin, ManifestStaticFilesStorage
from django.core.files.storage import storages


class HashedStaticFilesStorage(ManifestStaticFilesStorage):
    """`convoca collectstatic` copies every file under a name with its content's hash
    (`convoca.3f2a….css`) and writes a manifest; pages then link those names, and a changed file
    gets a new name, so a year-long `immutable` cache is safe.

    Where `collectstatic` never ran (`runserver --insecure`, tests, a first `convoca serve` on a
    laptop) there is no manifest: pages link the plain names instead of failing, and
    `convoca serve` says so when it starts. A manifest that lacks a file still fails loudly.
    """

    # CSS references (url(), @import) are rewritten to hashed names; source-map comments are not,
    # because the vendored libraries ship without their maps (a browser's developer tools ask for
    # them and get a 404, which harms no one).
    patterns = (
        (
            "*.css",
            (
                r"""(?P<matched>url\(['"]{0,1}\s*(?P<url>.*?)["']{0,1}\))""",
                (r"""(?P<matched>@import\s*["']\s*(?P<url>.*?)["'])""", """@import url("%(url)s")"""),
            ),
        ),
    )

    def url(self, name, force=False):
        if not self.manifest_hash and not self.hashed_files:
            return super(HashedFilesMixin, self).url(name)
        return super().url(name, force)

    @property
    def has_manifest(self) -> bool:
        return bool(self.manifest_hash or self.hashed_files)


def unhashed() -> bool:
    """Production storage without a manifest yet: pages link plain names (`convoca serve` warns)."""
    storage = storages["staticfiles"]
    return isinstance(storage, HashedStaticFilesStorage) and not storage.has_manifest
