package vb365test

import (
	"io"
	"math/rand/v2"
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
	// DropAfterServing serves the request (its effect stays on the
	// server) and then closes the connection without the answer: a
	// response lost in the network, a proxy timeout, a client killed
	// after sending.
	DropAfterServing bool
	// RedirectTo answers Status (307 when zero) with this Location.
	RedirectTo string
	// Body, when not nil, is the answer: Status (200 when zero) with this
	// body and ContentType (none when empty), e.g. an empty 200, an HTML
	// page of a proxy, a message that echoes the request.
	Body *string
	// ContentType goes with Body.
	ContentType string
	// EchoRequest answers Status (400 when zero) with a RESTExceptionInfo
	// whose message quotes the request body, as a careless server might.
	EchoRequest bool
	// ExpireTokens expires every issued access token before the request
	// is served (a server restart, a token revoked early): the request
	// then meets the usual bearer check.
	ExpireTokens bool
	// OmitRole serves a restore operator role list (GET RbacRoles or
	// GET Organizations/{organizationId}/RbacRoles) without the roles whose
	// ID or name equals it, ignoring case, as a caching proxy or a lagging
	// replica might: GET RbacRoles/{roleId} still answers the role.
	OmitRole string
	// OmitJob serves a backup job list (GET /Jobs, GET
	// Organizations/{organizationId}/Jobs) without the jobs whose ID or
	// name equals it, ignoring case, as OmitRole does for roles: GET
	// /Jobs/{jobId} still answers the job.
	OmitJob string
	// Rate, between 0 and 1, fires the fault for that share of the
	// matching requests, drawn from the server's seeded random source
	// (SetFaultSeed), so a storm is the same every run; 0 means every one.
	Rate float64

	fired int
}

// SetFaultSeed seeds the random source of Fault.Rate.
func (s *Server) SetFaultSeed(seed uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
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
// A DropAfterServing fault is not finished here: it returns false and
// leaves c.dropAfter set for ServeHTTP.
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
		if cand.Rate > 0 && cand.Rate < 1 {
			if s.rng == nil {
				s.rng = rand.New(rand.NewPCG(1, 2))
			}
			if s.rng.Float64() >= cand.Rate {
				continue
			}
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
	if f.ExpireTokens {
		s.ExpireTokens()
	}
	switch {
	case f.DropAfterServing:
		c.dropAfter = true
		return false
	case f.OmitRole != "":
		c.omitRole = f.OmitRole
		return false
	case f.OmitJob != "":
		c.omitJob = f.OmitJob
		return false
	case f.RedirectTo != "":
		status := f.Status
		if status == 0 {
			status = http.StatusTemporaryRedirect
		}
		c.w.Header().Set("Location", f.RedirectTo)
		c.w.WriteHeader(status)
		return true
	case f.Body != nil:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		if f.ContentType != "" {
			c.w.Header().Set("Content-Type", f.ContentType)
		}
		c.w.WriteHeader(status)
		_, _ = c.w.Write([]byte(*f.Body))
		return true
	case f.EchoRequest:
		status := f.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		b, _ := io.ReadAll(io.LimitReader(c.r.Body, 1<<20))
		c.errorf(status, "ParameterValidationFailure", "The request is invalid: %s", string(b))
		return true
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

// dropConnection closes the client's connection without an answer.
func (c *call) dropConnection() {
	if hj, ok := c.rec.ResponseWriter.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			c.rec.status = 0
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// discardWriter takes the answer of a request whose connection is dropped
// after serving.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}
