#!/usr/bin/env bash
# Refresh the vendored front-end libraries from the npm registry at pinned versions, with their
# licence files. Run by `make vendor`; the result is committed under src/convoca/static/vendor/.
set -euo pipefail
dest="$(cd "$(dirname "$0")/.." && pwd)/src/convoca/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent leaflet@1.9.4 leaflet.markercluster@1.5.3 topojson-client@3.1.0 world-atlas@2.0.2 altcha@3.2.2 axe-core@4.14.1 >/dev/null
rm -rf "$dest" && mkdir -p "$dest"
unpack() { mkdir -p "$work/$1" && tar -xzf "$2" -C "$work/$1" --strip-components=1; }
unpack leaflet leaflet-1.9.4.tgz
unpack markercluster leaflet.markercluster-1.5.3.tgz
unpack topojson topojson-client-3.1.0.tgz
unpack atlas world-atlas-2.0.2.tgz
unpack altcha altcha-3.2.2.tgz
unpack axe axe-core-4.14.1.tgz
mkdir -p "$dest/leaflet" "$dest/leaflet.markercluster" "$dest/topojson-client" "$dest/world-atlas"
cp leaflet/dist/leaflet.js leaflet/dist/leaflet.css leaflet/LICENSE "$dest/leaflet/"
cp -r leaflet/dist/images "$dest/leaflet/"
cp markercluster/dist/leaflet.markercluster.js markercluster/dist/MarkerCluster.css \
   markercluster/dist/MarkerCluster.Default.css markercluster/MIT-LICENCE.txt "$dest/leaflet.markercluster/"
cp topojson/dist/topojson-client.min.js topojson/LICENSE "$dest/topojson-client/"
cp atlas/countries-110m.json atlas/LICENSE "$dest/world-atlas/"
# ALTCHA's CSP-friendly build: styles in a file, the PBKDF2 worker as its own script.
mkdir -p "$dest/altcha/i18n" "$dest/altcha/workers"
cp altcha/dist/external/altcha.min.js altcha/dist/external/altcha.css altcha/LICENSE.txt "$dest/altcha/"
cp altcha/dist/workers/pbkdf2.js "$dest/altcha/workers/"
for lang in ar de es-es fr-fr it pt-pt tr ur; do cp "altcha/dist/i18n/$lang.js" "$dest/altcha/i18n/"; done
# axe-core: for the accessibility tests only (tests/browser/test_a11y.py injects it); no page links it.
mkdir -p "$dest/axe-core"
cp axe/axe.min.js axe/LICENSE axe/LICENSE-3RD-PARTY.txt "$dest/axe-core/"
cat > "$dest/README.md" <<'TXT'
Vendored from the npm registry by `make vendor` (deploy/vendor.sh); do not edit by hand.

| package | version | licence |
|---|---|---|
| leaflet | 1.9.4 | BSD-2-Clause |
| leaflet.markercluster | 1.5.3 | MIT |
| topojson-client | 3.1.0 | ISC |
| world-atlas (Natural Earth, public domain) | 2.0.2 | ISC |
| altcha (widget, external build) | 3.2.2 | MIT |
| axe-core (tests only, never linked by a page) | 4.14.1 | MPL-2.0 |
TXT
echo "vendored into $dest"
