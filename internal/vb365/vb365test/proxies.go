package vb365test

import (
	"net/http"
	"strings"
)

// Proxy is a fake backup proxy (RESTProxy).
type Proxy struct {
	ID, HostName, FQDN, Description string
	Port                            int
	Type                            string // Local, Domain, Workgroup
	Status                          string // Online, Offline
	// Answered from v8: the pool, the operating system, the version, the
	// maintenance mode state (Disabled, Enabling, Enabled) and the roles.
	PoolID, OperatingSystem, Version, Maintenance string
	Roles                                         []string
}

func proxyRoutes(r *router) {
	r.handle(http.MethodGet, "/Proxies", (*call).listProxies)
}

// AddProxy stores p and returns it. Empty fields get what a new proxy has:
// a generated ID, port 9193, Online, Windows, not in maintenance.
func (s *Server) AddProxy(p Proxy) *Proxy {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.ID == "" {
		p.ID = GUID("proxy", s.nextID())
	}
	if p.Port == 0 {
		p.Port = 9193
	}
	if p.Type == "" {
		p.Type = "Domain"
	}
	if p.Status == "" {
		p.Status = "Online"
	}
	if p.OperatingSystem == "" {
		p.OperatingSystem = "Windows"
	}
	if p.Version == "" {
		p.Version = "8.1.2.180"
	}
	if p.Maintenance == "" {
		p.Maintenance = "Disabled"
	}
	if p.Roles == nil {
		p.Roles = []string{"Processor"}
	}
	pp := p
	s.infra.proxies = append(s.infra.proxies, &pp)
	return &pp
}

// UpdateProxy changes a proxy out of band (taken offline, put in
// maintenance); false when there is none.
func (s *Server) UpdateProxy(id string, change func(*Proxy)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.infra.proxies {
		if strings.EqualFold(p.ID, id) {
			change(p)
			return true
		}
	}
	return false
}

// proxyJSON renders RESTProxy: extended adds the settings v6 and v7 answer
// only with extendedView=true (threads, throttling).
func (c *call) proxyJSON(p *Proxy, extended bool) map[string]any {
	m := map[string]any{
		"id": p.ID, "hostName": p.HostName, "description": c.text(p.Description), "port": p.Port,
		"type": p.Type, "useInternetProxy": false, "internetProxyType": nil, "status": p.Status,
		"enableNetworkThrottling": false,
		"_links":                  map[string]any{"self": c.link("/Proxies/" + p.ID)},
	}
	if c.version != "v6" {
		m["fqdn"] = c.text(p.FQDN)
	}
	if c.version != "v8" {
		if extended {
			m["threadsNumber"], m["throttlingValue"], m["throttlingUnit"] = 64, 0, "Mbps"
		}
		return m
	}
	roles := []any{}
	for _, r := range p.Roles {
		roles = append(roles, r)
	}
	m["proxyPoolId"], m["operatingSystem"], m["version"] = nullable(p.PoolID), p.OperatingSystem, p.Version
	m["maintenanceModeState"], m["role"], m["serviceAccount"] = p.Maintenance, roles, nil
	m["cpuUsagePercent"], m["memoryUsagePercent"] = 12.5, 41.0
	return m
}

// GET /Proxies: a bare array (v6, v7; extendedView defaults to true in v6 and
// false in v7, as documented), a page in v8.
func (c *call) listProxies() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	extended := c.version == "v6"
	if v := c.query("extendedView"); v != "" {
		extended = strings.EqualFold(v, "true")
	}
	all := func() []any {
		out := []any{}
		for _, p := range c.s.infra.proxies {
			out = append(out, c.proxyJSON(p, extended))
		}
		return out
	}
	c.list("/Proxies", all)
}
