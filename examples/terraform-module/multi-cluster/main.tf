# Two ECS clusters from one module block (for_each), each with two node groups: x86 on-demand whose AMI the watcher
# owns (ami_mode "auto") and arm64 spot whose AMI Terraform owns (ami_mode "gitops": every new AMI is a reviewed plan).
#
# Outside this repository use a tagged git source instead of the relative path:
#   source = "git::https://github.com/<org>/ecs-ami-rollout.git//terraform-module?ref=v1.2.0"

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "clusters" {
  description = "Clusters to run, by short name."
  type = map(object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  }))
  default = {
    a = {
      subnet_ids         = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
      security_group_ids = ["sg-0a1b2c3d4e5f60001"]
    }
    b = {
      subnet_ids         = ["subnet-0a1b2c3d4e5f60003", "subnet-0a1b2c3d4e5f60004"]
      security_group_ids = ["sg-0a1b2c3d4e5f60002"]
    }
  }
}

module "ecs_fleet" {
  source   = "../../../terraform-module"
  for_each = var.clusters

  cluster_name       = "fleet-${each.key}"
  subnet_ids         = each.value.subnet_ids
  security_group_ids = each.value.security_group_ids

  node_groups = {
    x86 = {
      capacity_provider = { base = 1 }
    }
    arm64-spot = {
      architecture   = "arm64"
      ami_mode       = "gitops"
      instance_types = ["m7g.large", "c7g.xlarge", "r7g.large"]
      mixed_instances = {
        on_demand_percentage_above_base_capacity = 0
      }
      instance_refresh = {
        checkpoint_percentages = [25, 100]
        checkpoint_delay       = 900
      }
    }
  }

  max_drain_seconds = 1800
  tags              = { cluster = each.key }
}

output "autoscaling_group_names" {
  value = { for name, fleet in module.ecs_fleet : name => fleet.autoscaling_group_names }
}
