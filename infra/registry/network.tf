# The host name: a private hosted zone for it (associated with the registry's VPC and the
# consumers' VPCs), an alias to the load balancer, and its certificate from the Private CA.
data "aws_ec2_managed_prefix_list" "s3" {
  name = "com.amazonaws.${var.region}.s3"
}

resource "aws_route53_zone" "registry" {
  name    = var.host_name
  comment = "modreg ${local.environment}: answers ${var.host_name} inside the platform VPCs"

  vpc {
    vpc_id = var.network.vpc_id
  }

  dynamic "vpc" {
    for_each = toset(var.network.consumer_vpc_ids)
    content {
      vpc_id = vpc.value
    }
  }

  tags = local.tags
}

resource "aws_route53_record" "registry" {
  count = local.deploy ? 1 : 0

  zone_id = aws_route53_zone.registry.zone_id
  name    = var.host_name
  type    = "A"

  alias {
    name                   = module.registry[0].load_balancer_dns_name
    zone_id                = module.registry[0].load_balancer_zone_id
    evaluate_target_health = true
  }
}

# ACM renews private certificates itself; create_before_destroy makes a replacement (e.g. a new
# CA) swap in on the listener before the old one goes.
resource "aws_acm_certificate" "registry" {
  domain_name               = var.host_name
  certificate_authority_arn = var.private_ca_arn
  key_algorithm             = "EC_prime256v1"

  lifecycle {
    create_before_destroy = true
  }

  tags = local.tags
}
