# One ECS cluster with one x86 node group, kept on the newest ECS-optimized AMI by the AMI watcher (ami_mode "auto").
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

module "ecs_fleet" {
  source = "../../../terraform-module"

  cluster_name       = "web"
  subnet_ids         = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
  security_group_ids = ["sg-0a1b2c3d4e5f60001"]

  node_groups = {
    x86 = {
      min_size = 1
      max_size = 6
    }
  }

  tags = {
    team = "platform"
  }
}

output "autoscaling_group_names" {
  value = module.ecs_fleet.autoscaling_group_names
}

output "approved_ami_parameter_names" {
  value = module.ecs_fleet.approved_ami_parameter_names
}

# Set this parameter to "true" to pause AMI promotions.
output "pause_parameter_name" {
  value = module.ecs_fleet.pause_parameter_name
}
