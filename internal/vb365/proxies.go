package vb365

import (
	"context"
	"net/url"
)

// Proxy is RESTProxy, the fields the data source shows. Fields a version
// lacks are empty (nil for Port): FQDN exists from v7; ProxyPoolID,
// OperatingSystem, Version, MaintenanceModeState and Roles from v8.
type Proxy struct {
	ID          string
	HostName    string
	FQDN        string
	Description string
	Port        *int
	// Type is the account type the server reaches the proxy with: Local,
	// Domain, Workgroup.
	Type string
	// Status: Online, Offline.
	Status string

	ProxyPoolID          string
	OperatingSystem      string // Windows, Linux
	Version              string
	MaintenanceModeState string // Disabled, Enabling, Enabled
	Roles                []string
}

type proxyWire struct {
	ID                   string   `json:"id"`
	HostName             *string  `json:"hostName"`
	FQDN                 *string  `json:"fqdn"`
	Description          *string  `json:"description"`
	Port                 *int     `json:"port"`
	Type                 *string  `json:"type"`
	Status               *string  `json:"status"`
	ProxyPoolID          *string  `json:"proxyPoolId"`
	OperatingSystem      *string  `json:"operatingSystem"`
	Version              *string  `json:"version"`
	MaintenanceModeState *string  `json:"maintenanceModeState"`
	Role                 []string `json:"role"`
}

func (w *proxyWire) value() Proxy {
	return Proxy{
		ID: w.ID, HostName: deref(w.HostName), FQDN: deref(w.FQDN), Description: deref(w.Description),
		Port: w.Port, Type: deref(w.Type), Status: deref(w.Status),
		ProxyPoolID: deref(w.ProxyPoolID), OperatingSystem: deref(w.OperatingSystem), Version: deref(w.Version),
		MaintenanceModeState: deref(w.MaintenanceModeState), Roles: w.Role,
	}
}

// ListProxies returns every backup proxy, in the server's order. In v6 and
// v7 it asks for the plain view (extendedView=false): the extended one makes
// the server contact every proxy for settings the data source does not show
// (threads, throttling); the status is in both.
func (c *Client) ListProxies(ctx context.Context) ([]Proxy, error) {
	if err := c.checkInfrastructure("backup proxies"); err != nil {
		return nil, err
	}
	q := url.Values{}
	if c.spec.proxiesExtendedView {
		q.Set("extendedView", "false")
	}
	var out []Proxy
	for p, err := range listAny[proxyWire](ctx, c, "Proxies", q, c.spec.proxiesPaged) {
		if err != nil {
			return nil, err
		}
		for i := range p {
			out = append(out, p[i].value())
		}
	}
	return out, nil
}
