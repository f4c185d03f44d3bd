//! Shared harness for the end-to-end tests: spawn `modreg serve`, run real Terraform.
