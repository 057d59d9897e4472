package vb365

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strings"
)

// newTransport builds the HTTP transport from the TLS settings.
func newTransport(cfg Config) (*http.Transport, error) {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		base = &http.Transport{Proxy: http.ProxyFromEnvironment}
	}
	tr := base.Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.Insecure && cfg.CACertPEM != "" {
		return nil, &ConfigError{Field: "ca_cert_pem", Msg: "insecure and ca_cert_pem are mutually exclusive"}
	}
	if cfg.Insecure {
		tr.TLSClientConfig.InsecureSkipVerify = true //nolint:gosec // the user asked for it explicitly
	}
	if cfg.CACertPEM != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(cfg.CACertPEM)) {
			return nil, &ConfigError{Field: "ca_cert_pem", Msg: "the CA certificate PEM holds no certificate that parses"}
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	return tr, nil
}

// withRedirectsRefused returns a copy of hc that follows no redirect. VB365
// does not redirect its REST API, and a redirect followed would re-send the
// password form or the bearer token to wherever the Location points
// (another host, another port, plain http).
func withRedirectsRefused(hc *http.Client) *http.Client {
	cp := *hc
	cp.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		return &RedirectError{Status: status, Location: req.URL.Redacted()}
	}
	return &cp
}

// permanentTransportError reports whether a transport error will happen
// again on every attempt, so that retrying only wastes the user's time, and
// returns a hint about the likely cause ("" when it has none).
func permanentTransportError(err error) (bool, string) {
	var (
		redirect *RedirectError
		rhe      tls.RecordHeaderError
		dnsErr   *net.DNSError
	)
	switch {
	case errors.As(err, &redirect):
		return true, ""
	case IsCertificateError(err):
		return true, "trust the server's certificate with ca_cert_pem"
	case errors.Is(err, http.ErrSchemeMismatch), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return true, "the server speaks plain HTTP on this port, not HTTPS: check the scheme and port of url"
	case errors.As(err, &rhe):
		return true, "the server did not answer with TLS: check the scheme and port of url"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return true, "the host name does not resolve: check the host of url"
	}
	return false, ""
}
