package vb365test

// A request being served: reading it and answering it in the API's shapes.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// call is one request being served.
type call struct {
	s       *Server
	w       http.ResponseWriter
	r       *http.Request
	version string   // "v5", "v6", "v7", "v8"
	params  []string // path parameters, unescaped, case preserved
	// origin is the scheme, host and port the request came to (or
	// Quirks.V5LinkOrigin): v5's hrefs are absolute.
	origin string
	route  *route
	rec    *statusRecorder
	// dropAfter: serve, then drop the connection (Fault.DropAfterServing).
	dropAfter bool
	// omitRole: leave this role out of a role list (Fault.OmitRole).
	omitRole string
	// omitJob: leave this job out of a job list (Fault.OmitJob).
	omitJob string
}

// statusRecorder remembers the status answered, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (c *call) writeJSON(status int, v any) {
	c.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	c.w.WriteHeader(status)
	_ = json.NewEncoder(c.w).Encode(v)
}

func (c *call) noContent(status int) {
	c.w.WriteHeader(status)
}

// errorf answers RESTExceptionInfo in the version's shape: v5 and v6
// {message} (v5's is not documented: v6's is assumed), v7 {message,
// errorCode}, v8 {message, errorCode, stackTrace}.
func (c *call) errorf(status int, code, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	body := map[string]any{"message": msg}
	switch c.version {
	case "v5", "v6":
	case "v7":
		// v7's enum only knows ProxyOffline; other codes are sent as null.
		if code == "ProxyOffline" {
			body["errorCode"] = code
		} else {
			body["errorCode"] = nil
		}
	default:
		if code == "" {
			body["errorCode"] = nil
		} else {
			body["errorCode"] = code
		}
		body["stackTrace"] = nil
	}
	c.writeJSON(status, body)
}

// decode reads a JSON body into v; false (with a 400 sent) when it fails.
func (c *call) decode(v any) bool {
	dec := json.NewDecoder(c.r.Body)
	if err := dec.Decode(v); err != nil {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The request body is invalid: %v", err)
		return false
	}
	return true
}

// query returns a query parameter, matching its name case-insensitively
// (the real server binds parameters without regard to case).
func (c *call) query(name string) string {
	for k, v := range c.r.URL.Query() {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// success is the documented success status of the call's route in its
// version (succeeds, onV5); 200 for a route that declares none. A v5 call
// answered in v6's shapes (Quirks.V5AnswersAsV6) answers v6's status.
func (c *call) success() int {
	if c.version == "v5" && !c.v5Shapes() {
		if code, ok := c.route.success["v6"]; ok {
			return code
		}
	}
	if code, ok := c.route.success[c.version]; ok {
		return code
	}
	return http.StatusOK
}

// fromV7 reports whether the call's version is v7 or later (v5 and v6
// answer alike where v7 changed a shape).
func (c *call) fromV7() bool { return versionNumber(c.version) >= 7 }

// versionNumber is 8 for "v8"; 0 for anything else.
func versionNumber(v string) int {
	if len(v) == 2 && v[0] == 'v' && v[1] >= '0' && v[1] <= '9' {
		return int(v[1] - '0')
	}
	return 0
}

// nullable returns nil for an empty string so it is sent as JSON null.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// text returns s, or null when empty and the NullsInNonNullable quirk is on.
func (c *call) text(s string) any {
	if s == "" && c.s.opts.Quirks.NullsInNonNullable {
		return nil
	}
	return s
}

// link is a _links entry: relative from v6 ("/v8/Organizations/..."),
// absolute up to v5 ("https://host:4443/v5/Organizations/...").
func (c *call) link(path string) map[string]any {
	href := "/" + c.version + path
	if c.v5Shapes() {
		href = c.origin + href
	}
	return map[string]any{"href": href}
}
