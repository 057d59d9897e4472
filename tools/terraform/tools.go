//go:build tools

// Package tools pins the Terraform CLI as a dependency of this wrapper module
// so that `go mod tidy` keeps it. Build it with ../get-terraform.sh.
package tools

import _ "github.com/hashicorp/terraform"
