#!/usr/bin/env bash
# Type-checks the constructs, the app and the module generator against the hashicorp/aws 6.x bindings
# (@cdktf/provider-aws 21.x, pinned in scripts/aws6/package-lock.json) instead of the 5.100.0 bindings the project
# builds with: an argument, attribute or type that 6.x removed or changed fails here. See docs/provider-versions.md.
set -euo pipefail
cd "$(dirname "$0")/aws6"
npm ci --ignore-scripts --no-audit --no-fund --legacy-peer-deps --loglevel=error </dev/null
bindings="$(node -p "require('./node_modules/@cdktf/provider-aws/package.json').version")"
provider="$(grep -om1 'hashicorp/aws provider version [0-9.]*' node_modules/@cdktf/provider-aws/README.md | awk '{print $NF}')"
cd ../..
npx tsc -p scripts/aws6/tsconfig.json
# Prove the 6.x bindings were the ones compiled against (a path mapping that silently fell back would prove nothing).
npx tsc -p scripts/aws6/tsconfig.json --listFiles | grep -q "scripts/aws6/node_modules/@cdktf/provider-aws/lib/autoscaling-group" ||
  { echo "ERROR: the 6.x bindings were not used" >&2; exit 1; }
echo "lib/, main.ts and scripts/module type-check against @cdktf/provider-aws ${bindings} (hashicorp/aws ${provider})"
