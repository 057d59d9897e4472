package vb365test

import (
	"net/http"
	"strings"
	"time"
)

// LoggedRequest is one request the fake served.
type LoggedRequest struct {
	Method  string
	Path    string
	Query   string
	Version string
	// Route is the operation's name, e.g. "GET /Organizations/{organizationId}/Users",
	// "admin" for the out-of-band API, "unknown" when nothing matched.
	Route  string
	Status int
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []LoggedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]LoggedRequest(nil), s.log...)
}

// Count returns how many requests hit a route ("POST /token", ...); an
// empty route counts every request except the out-of-band API.
func (s *Server) Count(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, e := range s.log {
		if (route == "" && e.Route != "admin") || e.Route == route {
			n++
		}
	}
	return n
}

// CountByRoute returns request counts per route.
func (s *Server) CountByRoute() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := map[string]int{}
	for _, e := range s.log {
		m[e.Route]++
	}
	return m
}

// ResetRequests clears the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// Fault makes matching requests fail before they are served.
type Fault struct {
	// Route to match, as in LoggedRequest.Route; "*" matches every route.
	Route string
	// Times the fault fires; 0 means every time until ClearFaults.
	Times int
	// Status, when not zero, is answered with a RESTExceptionInfo body (or
	// the throttle text for 429).
	Status int
	// RetryAfter is sent as the Retry-After header with Status.
	RetryAfter string
	// Drop closes the connection without an answer.
	Drop bool
	// Latency delays the request (then it is served, or fails as above).
	Latency time.Duration

	fired int
}

// InjectFault adds a fault; faults are checked in the order added.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// applyFault serves a matching fault; true when the request is finished.
func (s *Server) applyFault(c *call, route string) bool {
	s.mu.Lock()
	var f *Fault
	for _, cand := range s.faults {
		if cand.Route != "*" && !strings.EqualFold(cand.Route, route) {
			continue
		}
		if cand.Times > 0 && cand.fired >= cand.Times {
			continue
		}
		cand.fired++
		ff := *cand
		f = &ff
		break
	}
	s.mu.Unlock()
	if f == nil {
		return false
	}
	if f.Latency > 0 {
		select {
		case <-time.After(f.Latency):
		case <-c.r.Context().Done():
			return true
		}
	}
	switch {
	case f.Drop:
		if hj, ok := c.rec.ResponseWriter.(http.Hijacker); ok {
			conn, _, err := hj.Hijack()
			if err == nil {
				_ = conn.Close()
				c.rec.status = 0
				return true
			}
		}
		panic(http.ErrAbortHandler)
	case f.Status == http.StatusTooManyRequests:
		if f.RetryAfter != "" {
			c.w.Header().Set("Retry-After", f.RetryAfter)
		}
		c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		c.w.WriteHeader(f.Status)
		_, _ = c.w.Write([]byte("API calls quota exceeded! maximum admitted 1 per Second."))
		return true
	case f.Status != 0:
		if f.RetryAfter != "" {
			c.w.Header().Set("Retry-After", f.RetryAfter)
		}
		c.errorf(f.Status, "", "Injected fault: %s", http.StatusText(f.Status))
		return true
	}
	return false
}
