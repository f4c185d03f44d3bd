# The internal Application Load Balancer: HTTPS only (TLS 1.2+ with the ACM certificate), health
# checks on /readyz, and security groups that let clients reach the ALB and only the ALB reach
# the tasks.
resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "modreg load balancer: HTTPS from the registry's clients"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-alb" })
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  for_each = toset(var.client_cidr_blocks)

  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from registry clients ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value

  tags = local.tags
}

resource "aws_vpc_security_group_egress_rule" "alb_to_tasks" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the modreg tasks"
  ip_protocol                  = "tcp"
  from_port                    = local.container_port
  to_port                      = local.container_port
  referenced_security_group_id = aws_security_group.tasks.id

  tags = local.tags
}

resource "aws_security_group" "tasks" {
  name        = "${var.name}-tasks"
  description = "modreg tasks: traffic from the load balancer, HTTPS to S3 and the AWS APIs"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-tasks" })
}

resource "aws_vpc_security_group_ingress_rule" "tasks_from_alb" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "From the modreg load balancer"
  ip_protocol                  = "tcp"
  from_port                    = local.container_port
  to_port                      = local.container_port
  referenced_security_group_id = aws_security_group.alb.id

  tags = local.tags
}

# The ops port (MODREG_OPS_LISTEN) serves /metrics without a token: only the scraper's security
# groups may reach it, and none unless they are given.
resource "aws_vpc_security_group_ingress_rule" "tasks_from_scraper" {
  for_each = toset(var.metrics_scraper_security_group_ids)

  security_group_id            = aws_security_group.tasks.id
  description                  = "Prometheus scrape of /metrics on the ops port"
  ip_protocol                  = "tcp"
  from_port                    = local.ops_port
  to_port                      = local.ops_port
  referenced_security_group_id = each.value

  tags = local.tags
}

resource "aws_vpc_security_group_egress_rule" "tasks_https_cidr" {
  for_each = toset(var.egress.cidr_blocks)

  security_group_id = aws_security_group.tasks.id
  description       = "HTTPS to AWS endpoints and git hosts in ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value

  tags = local.tags
}

resource "aws_vpc_security_group_egress_rule" "tasks_https_prefix_list" {
  for_each = toset(var.egress.prefix_list_ids)

  security_group_id = aws_security_group.tasks.id
  description       = "HTTPS to the S3 gateway endpoint ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = each.value

  tags = local.tags
}

resource "aws_lb" "this" {
  name                       = var.name
  internal                   = true
  load_balancer_type         = "application"
  security_groups            = [aws_security_group.alb.id]
  subnets                    = var.private_subnet_ids
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
  idle_timeout               = 60

  dynamic "access_logs" {
    for_each = var.access_logs == null ? [] : [var.access_logs]
    content {
      bucket  = access_logs.value.bucket_name
      prefix  = access_logs.value.prefix
      enabled = true
    }
  }

  tags = local.tags
}

resource "aws_lb_target_group" "this" {
  name                 = "${var.name}-tg"
  port                 = local.container_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  # /readyz is 200 only once the replica's index is built and storage and sync are healthy.
  health_check {
    path                = "/readyz"
    matcher             = "200"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = local.tags
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  tags = local.tags
}

# /metrics names every module and is for the scraper inside the VPC, not for every client of the
# registry: the load balancer answers it itself.
resource "aws_lb_listener_rule" "no_metrics" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 1

  condition {
    path_pattern {
      values = ["/metrics", "/metrics/*"]
    }
  }

  action {
    type = "fixed-response"
    fixed_response {
      content_type = "application/json"
      message_body = "{\"errors\":[\"/metrics is not served through the load balancer: scrape the replicas inside the VPC\"]}"
      status_code  = "404"
    }
  }

  tags = local.tags
}
