#!/usr/bin/env bash
# docs/review.png: the samples' out/review.html as Debian's headless chromium draws it, 1100 px wide.
# Needs chromium, and fonts for the samples' CJK and emoji names (else they are drawn as empty boxes):
#   apt-get install chromium fonts-wqy-microhei fonts-noto-color-emoji
set -euo pipefail
cd "$(dirname "$0")/.."
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$chromium" ] || { echo "review-screenshot: no chromium (apt-get install chromium)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node bin/totalis-migrate.js transform --dump samples --out "$work/out" >/dev/null
# --virtual-time-budget: draw once every image has loaded; the page has no script of its own
"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --allow-file-access-from-files \
  --virtual-time-budget=10000 --window-size=1100,2600 --screenshot="$work/review.png" \
  "file://$work/out/review.html" >/dev/null 2>&1
cp "$work/review.png" docs/review.png
echo "wrote docs/review.png"
