#!/usr/bin/env bash
# Validates examples/terraform-module/aws6 (a root requiring hashicorp/aws >= 6.34) with real Terraform when a 6.x
# provider is in the filesystem mirror; says so plainly when it is not (the development machines carry only 5.100.0,
# where the same module is planned by npm test). Usage: scripts/validate-aws6-example.sh
set -euo pipefail
cd "$(dirname "$0")/.."
plugin_dir="${ECS_AMI_ROLLOUT_TF_PLUGIN_DIR:-/opt/tf-plugins}"
versions="$(ls "${plugin_dir}/registry.terraform.io/hashicorp/aws" 2>/dev/null | grep -E '^6\.' || true)"
if [[ -z "${versions}" ]]; then
  echo "NOT VALIDATED: no hashicorp/aws 6.x in ${plugin_dir} (only: $(ls "${plugin_dir}/registry.terraform.io/hashicorp/aws" | tr '\n' ' '))."
  echo "The 6.x compatibility evidence here is the bindings type-check (npm run typecheck:aws6) and docs/provider-versions.md."
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
cp -r terraform-module "${work}/terraform-module"
mkdir -p "${work}/examples/terraform-module" && cp -r examples/terraform-module/aws6 "${work}/examples/terraform-module/"
cat > "${work}/terraform.tfrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "${plugin_dir}"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
RC
cd "${work}/examples/terraform-module/aws6"
TF_CLI_CONFIG_FILE="${work}/terraform.tfrc" CHECKPOINT_DISABLE=1 terraform init -input=false -no-color >/dev/null
TF_CLI_CONFIG_FILE="${work}/terraform.tfrc" CHECKPOINT_DISABLE=1 terraform validate -no-color
echo "examples/terraform-module/aws6 validates with hashicorp/aws $(echo "${versions}" | tail -1)"
