#!/usr/bin/env bash
# Refresh the Swagger UI files served offline at /v1/docs from the npm package
# swagger-ui-dist (Apache-2.0). Run by a developer; the files are committed.
#   scripts/update-swagger-ui.sh [VERSION]
set -euo pipefail
version=${1:-5}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "swagger-ui-dist@$version" --silent >/dev/null && tar xzf swagger-ui-dist-*.tgz)
target=api/static/swagger-ui
for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE favicon-32x32.png; do
  cp "$work/package/$f" "$target/$f"
done
got=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$work/package/package.json")
echo "swagger-ui-dist $got (npm), Apache-2.0; refresh with scripts/update-swagger-ui.sh" > "$target/VERSION"
echo "Swagger UI $got copied to $target"
