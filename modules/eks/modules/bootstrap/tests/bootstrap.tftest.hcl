# Offline specification of the bootstrap submodule (mocked Kubernetes provider).
mock_provider "kubernetes" {}

variables {
  tags = {
    cost_center = "cc-2001"
    environment = "dev"
    application = "storefront"
    owner       = "team-web@example.com"
  }
  namespaces = { storefront = {} }
  config_maps = {
    settings = { name = "storefront-settings", namespace = "storefront", data = { LOG_LEVEL = "info" } }
  }
  secrets = {
    db = { name = "storefront-db", namespace = "storefront", data = { DATABASE_URL = "postgres://example" } }
  }
}

run "objects_are_created_with_the_finops_labels_and_restricted_pods" {
  command = plan

  assert {
    condition     = kubernetes_namespace_v1.this["storefront"].metadata[0].labels["pod-security.kubernetes.io/enforce"] == "restricted"
    error_message = "Namespaces enforce the restricted Pod Security level by default."
  }
  assert {
    condition     = kubernetes_config_map_v1.this["settings"].metadata[0].labels["owner"] == "team-web_example.com"
    error_message = "FinOps tags become valid Kubernetes labels."
  }
  assert {
    condition     = kubernetes_secret_v1.this["db"].type == "Opaque" && kubernetes_secret_v1.this["db"].metadata[0].namespace == "storefront"
    error_message = "Secrets are created as Opaque in their namespace."
  }
}

run "system_namespaces_are_refused" {
  command = plan
  variables {
    namespaces = { kube-public = {} }
  }
  expect_failures = [var.namespaces]
}

run "service_account_token_secrets_are_refused" {
  command = plan
  variables {
    secrets = { t = { name = "t", namespace = "storefront", type = "kubernetes.io/service-account-token", data = {} } }
  }
  expect_failures = [var.secrets]
}
