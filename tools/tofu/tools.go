//go:build tools

// Package tools pins the OpenTofu CLI as a dependency of this wrapper module
// so that `go mod tidy` keeps it. Build it with ../get-tofu.sh.
package tools

import _ "github.com/opentofu/opentofu/cmd/tofu"
