package vb365

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
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
	// UseNumber keeps numbers as written (1e1000 overflows a float64).
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
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

// secretSet holds every secret value the client has sent or received (the
// provider password, tokens, the passwords and request ids of request
// bodies), so that a server which echoes one in an error message or a body
// never gets it into a diagnostic or a log. Safe for concurrent use.
type secretSet struct {
	mu   sync.RWMutex
	vals map[string]bool
}

// remember adds secret values; empty ones are ignored.
func (s *secretSet) remember(vals ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range vals {
		// A secret made only of '*' cannot be told from the mask (and
		// masking it would never end): there is nothing in it to hide.
		if strings.Trim(v, "*") == "" {
			continue
		}
		if s.vals == nil {
			s.vals = map[string]bool{}
		}
		s.vals[v] = true
		// The same value as a server may echo it: JSON-escaped and
		// form-encoded.
		if b, err := json.Marshal(v); err == nil {
			if q := string(b[1 : len(b)-1]); q != v {
				s.vals[q] = true
			}
		}
		if q := url.QueryEscape(v); q != v {
			s.vals[q] = true
		}
	}
}

// rememberBody adds the values of the secret keys of a JSON body.
func (s *secretSet) rememberBody(b []byte) {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return
	}
	var found []string
	collectSecrets(v, &found)
	s.remember(found...)
}

func collectSecrets(v any, out *[]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if str, ok := val.(string); ok && secretKeys[strings.ToLower(k)] {
				*out = append(*out, str)
				continue
			}
			collectSecrets(val, out)
		}
	case []any:
		for _, e := range t {
			collectSecrets(e, out)
		}
	}
}

// mask replaces every remembered secret in text with Redacted, longest
// first so that a secret containing another is masked whole.
func (s *secretSet) mask(text string) string {
	if text == "" {
		return text
	}
	s.mu.RLock()
	vals := make([]string, 0, len(s.vals))
	for v := range s.vals {
		if strings.Contains(text, v) {
			vals = append(vals, v)
		}
	}
	s.mu.RUnlock()
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	// A replacement can form the secret anew ("x*" in "xx*" gives "x***"):
	// repeat until none is left. Every round removes a character of the
	// secret that is not '*', so it ends.
	for changed := true; changed; {
		changed = false
		for _, v := range vals {
			if strings.Contains(text, v) {
				text = strings.ReplaceAll(text, v, Redacted)
				changed = true
			}
		}
	}
	return text
}
