#!/usr/bin/env bash
# Prints the path of an OpenTofu CLI >= 1.12 (building v1.12.6 when there is
# none); see get-cli.sh.
exec "$(dirname -- "${BASH_SOURCE[0]}")/get-cli.sh" tofu
