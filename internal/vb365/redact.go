package vb365

import (
	"encoding/json"
	"fmt"
	"strings"
)

// secretKeys are JSON keys (compared in lower case) whose values never reach
// a log: passwords, tokens, OAuth codes and request ids.
var secretKeys = map[string]bool{
	"password":                       true,
	"userpassword":                   true,
	"access_token":                   true,
	"refresh_token":                  true,
	"requestid":                      true,
	"clientsecret":                   true,
	"code":                           true,
	"assertion":                      true,
	"applicationsecret":              true,
	"applicationcertificatepassword": true,
}

// maxLoggedBody is the largest body logged in full; larger ones (user pages)
// are logged by size only.
const maxLoggedBody = 16 << 10

// Redacted is what a secret value is replaced with in logs.
const Redacted = "***"

// redactJSON renders a JSON body for a log line with every secret masked.
// A body that is not JSON is never logged verbatim.
func redactJSON(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > maxLoggedBody {
		return fmt.Sprintf("<%d bytes>", len(b))
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Sprintf("<%d bytes, not JSON>", len(b))
	}
	redactValue(v)
	out, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("<%d bytes>", len(b))
	}
	return string(out)
}

func redactValue(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if secretKeys[strings.ToLower(k)] {
				if val != nil {
					t[k] = Redacted
				}
				continue
			}
			redactValue(val)
		}
	case []any:
		for _, e := range t {
			redactValue(e)
		}
	}
}
