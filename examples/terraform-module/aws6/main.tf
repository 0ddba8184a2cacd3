# The module in a root that runs hashicorp/aws 6.x, as roots that also use current terraform-aws-modules do
# (terraform-aws-ecs v7 needs aws >= 6.34, terraform-aws-autoscaling v9 >= 6.33). The module admits
# ">= 5.100.0, < 7.0.0", so `terraform init` picks one 6.x provider for both. Validated where a 6.x provider is
# available (scripts/validate-aws6-example.sh in CI); docs/provider-versions.md lists what 6.0 changed for us.
#
# Outside this repository use a tagged git source instead of the relative path:
#   source = "git::https://github.com/<org>/ecs-ami-rollout.git//terraform-module?ref=v1.2.0"

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.34"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

module "ecs_fleet" {
  source = "../../../terraform-module"

  cluster_name       = "web"
  subnet_ids         = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
  security_group_ids = ["sg-0a1b2c3d4e5f60001"]

  # an ECS cluster module owns the cluster's capacity provider list: attach ours there
  create_cluster                    = false
  manage_cluster_capacity_providers = false

  node_groups = {
    x86 = { max_size = 6 }
  }
}

output "capacity_provider_names" {
  description = "Attach these to the cluster (e.g. the ECS cluster module's default_capacity_provider_strategy)."
  value       = module.ecs_fleet.capacity_provider_names
}
