package vb365test

// The route table and the dispatch of a request: which route answers, its
// faults, its authorization.

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// route serves one operation. pattern is lower case, "{}" matches one
// segment. name is how tests refer to it in faults and the request log.
type route struct {
	method    string
	pattern   []string
	name      string
	anonymous bool
	// versions: the versions of the OpenAPI documents (v6, v7, v8) that
	// have the route; nil: all three.
	versions map[string]bool
	// v5: REST API v5 has the route too (onV5, onlyV5). v5 has no OpenAPI
	// document: a route is served on v5 only when it says so.
	v5     bool
	handle func(c *call)
	// success: the status of a successful answer per version (succeeds,
	// onV5).
	success map[string]int
}

// literals counts the fixed segments: the more, the more specific.
func (rt *route) literals() int {
	n := 0
	for _, p := range rt.pattern {
		if p != "{}" {
			n++
		}
	}
	return n
}

// servesVersion reports whether the route exists in an API version.
func (rt *route) servesVersion(v string) bool {
	if v == "v5" {
		return rt.v5
	}
	return rt.versions == nil || rt.versions[v]
}

// router is a server's route table, built by New from each area's route
// function. Which route answers does not depend on the order they were
// added in: the most specific match (most fixed segments) wins, and two
// routes that would answer the same request are refused when added.
type router struct {
	routes []route
	admin  map[string]func(*call) // "METHOD /_fake/path", lower-case path
}

func newRouter() *router {
	r := &router{admin: map[string]func(*call){}}
	for _, add := range []func(*router){authRoutes, organizationRoutes, userRoutes, groupRoutes, siteRoutes, teamRoutes, rbacRoutes, rbacMemberRoutes, auditItemRoutes, auditEmailSettingsRoutes, jobEmailSettingsRoutes, explorerEmailSettingsRoutes, restoreSessionRoutes, jobRoutes, repositoryRoutes, proxyRoutes, v5Routes, adminRoutes, groupMemberRoutes, protectedDataRoutes, restorePortalRoutes} {
		add(r)
	}
	return r
}

// handle adds a route; template looks like "/Organizations/{organizationId}".
func (r *router) handle(method, template string, h func(c *call), opts ...func(*route)) {
	segs := strings.Split(strings.Trim(template, "/"), "/")
	pattern := make([]string, len(segs))
	for i, sg := range segs {
		if strings.HasPrefix(sg, "{") {
			pattern[i] = "{}"
		} else {
			pattern[i] = strings.ToLower(sg)
		}
	}
	rt := route{method: method, pattern: pattern, name: method + " " + template, handle: h}
	for _, o := range opts {
		o(&rt)
	}
	for _, other := range r.routes {
		if other.method == rt.method && slices.Equal(other.pattern, rt.pattern) && versionsOverlap(&other, &rt) {
			panic("vb365test: " + rt.name + " is served twice")
		}
	}
	r.routes = append(r.routes, rt)
}

// handleOrg adds a route whose first path parameter is an organization: the
// handler runs under the server's lock with the organization resolved, and
// an unknown organization is answered 404 before it is called.
func (r *router) handleOrg(method, template string, h func(c *call, org *Organization), opts ...func(*route)) {
	r.handle(method, template, func(c *call) {
		c.s.mu.Lock()
		defer c.s.mu.Unlock()
		if org := c.organization(); org != nil {
			h(c, org)
		}
	}, opts...)
}

// handleAdmin adds an out-of-band operation under /_fake/.
func (r *router) handleAdmin(method, path string, h func(c *call)) {
	r.admin[method+" "+strings.ToLower(path)] = h
}

// versionsOverlap reports whether two routes exist in a common version.
func versionsOverlap(a, b *route) bool {
	for v := range knownVersions {
		if a.servesVersion(v) && b.servesVersion(v) {
			return true
		}
	}
	return false
}

func anonymous(r *route) { r.anonymous = true }

// succeeds sets a route's success status in v6, v7 and v8.
func succeeds(v6, v7, v8 int) func(*route) { //nolint:unparam // every v8 write so far answers 204; the next one may not
	return func(r *route) { r.setSuccess(map[string]int{"v6": v6, "v7": v7, "v8": v8}) }
}

func (r *route) setSuccess(codes map[string]int) {
	if r.success == nil {
		r.success = map[string]int{}
	}
	for v, code := range codes {
		r.success[v] = code
	}
}

// onlyVersions limits a route to some of the documents' API versions
// ("v6", "v7", "v8").
func onlyVersions(vs ...string) func(*route) {
	return func(r *route) {
		r.versions = map[string]bool{}
		for _, v := range vs {
			r.versions[v] = true
		}
	}
}

// onV5 says that REST API v5 has the route too, answering status on
// success (v5.go holds what v5 answers differently).
func onV5(status int) func(*route) {
	return func(r *route) {
		r.v5 = true
		r.setSuccess(map[string]int{"v5": status})
	}
}

// onlyV5 is a route of REST API v5 alone (its action endpoints, which v6
// replaced by separate endpoints).
func onlyV5(status int) func(*route) {
	return func(r *route) {
		r.versions = map[string]bool{}
		onV5(status)(r)
	}
}

var knownVersions = map[string]bool{"v5": true, "v6": true, "v7": true, "v8": true}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	c := &call{s: s, w: rec, r: r, rec: rec}
	entry := LoggedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Route: "unknown"}
	defer func() {
		entry.Status = rec.status
		s.mu.Lock()
		s.log = append(s.log, entry)
		s.mu.Unlock()
	}()

	if strings.HasPrefix(r.URL.Path, "/_fake/") {
		entry.Route = "admin"
		s.serveAdmin(c)
		return
	}
	segs := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	if len(segs) < 2 || !knownVersions[strings.ToLower(segs[0])] {
		c.errorf(http.StatusNotFound, "ResourceNotFound", "No HTTP resource was found that matches the request URI '%s'.", r.URL.Path)
		return
	}
	c.version = strings.ToLower(segs[0])
	c.origin = s.origin(r)
	entry.Version = c.version
	rt, params, methodMismatch := s.router.match(r.Method, c.version, segs[1:])
	if rt == nil {
		if methodMismatch {
			c.errorf(http.StatusMethodNotAllowed, "", "The requested resource does not support http method '%s'.", r.Method)
			return
		}
		c.errorf(http.StatusNotFound, "ResourceNotFound", "No HTTP resource was found that matches the request URI '%s'.", r.URL.Path)
		return
	}
	entry.Route = rt.name
	c.params, c.route = params, rt
	if s.applyFault(c, rt.name) {
		return
	}
	if c.dropAfter {
		c.w = &discardWriter{h: http.Header{}}
		defer c.dropConnection()
	}
	if !rt.anonymous && !s.authorized(r) {
		c.writeJSON(http.StatusUnauthorized, map[string]any{"message": "Authorization has been denied for this request."})
		return
	}
	rt.handle(c)
}

// match finds the most specific route for a request; methodMismatch says
// that a route has the path but not the method (405).
func (r *router) match(method, version string, segs []string) (best *route, params []string, methodMismatch bool) {
	for i := range r.routes {
		rt := &r.routes[i]
		if len(rt.pattern) != len(segs) || !rt.servesVersion(version) {
			continue
		}
		got, ok := rt.params(segs)
		if !ok {
			continue
		}
		if !strings.EqualFold(rt.method, method) {
			methodMismatch = true
			continue
		}
		if best == nil || rt.literals() > best.literals() {
			best, params = rt, got
		}
	}
	if best != nil {
		return best, params, false
	}
	return nil, nil, methodMismatch
}

// params matches the path segments and returns the unescaped parameters.
func (rt *route) params(segs []string) ([]string, bool) {
	var params []string
	for j, p := range rt.pattern {
		if p == "{}" {
			v, err := url.PathUnescape(segs[j])
			if err != nil {
				return nil, false
			}
			params = append(params, v)
			continue
		}
		if p != strings.ToLower(segs[j]) {
			return nil, false
		}
	}
	return params, true
}
