#!/usr/bin/env bash
# Fails when the committed terraform-module/ is not what `npm run build:module` produces (for .ci/run).
# Rebuilds in place, then asks git whether anything under terraform-module/ changed or appeared.
set -euo pipefail
cd "$(dirname "$0")/.."
npx ts-node --swc scripts/build-module.ts
changes="$(git status --porcelain -- terraform-module)"
if [ -n "$changes" ]; then
  echo "terraform-module/ is out of date; run \`npm run build:module\` and commit the result:" >&2
  echo "$changes" >&2
  git --no-pager diff --stat -- terraform-module >&2 || true
  exit 1
fi
echo "terraform-module/ is up to date"
