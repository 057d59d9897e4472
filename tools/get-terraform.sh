#!/usr/bin/env bash
# Prints the path of a Terraform CLI >= 1.11 (building v1.11.4 when there is
# none); see get-cli.sh.
exec "$(dirname -- "${BASH_SOURCE[0]}")/get-cli.sh" terraform
