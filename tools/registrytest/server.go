package registrytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"
)

// Scenario is what the registry serves under /<scenario>/: a CLI
// configuration points the provider registry service (providers.v1) of a
// host at one of them.
type Scenario string

const (
	// Good serves the release as it was built and signed.
	Good Scenario = "good"
	// TamperedZip serves each zip with one byte changed, and the
	// documents and SHA256SUMS of the release as they are.
	TamperedZip Scenario = "tampered-zip"
	// OtherKey serves a signature of SHA256SUMS made by another key than
	// the one the download document names.
	OtherKey Scenario = "other-key"
)

// Scenarios lists every scenario.
var Scenarios = []Scenario{Good, TamperedZip, OtherKey}

// SigningKey is the public key the download documents name.
type SigningKey struct {
	KeyID      string // the long key ID, 16 hex digits
	ASCIIArmor string
}

// Registry serves one release over the provider registry protocol: the
// versions list and a download document per platform under
// /<scenario>/v1/providers/<namespace>/<type>/, the files under
// /<scenario>/files/, and service discovery at /.well-known/terraform.json
// (pointing at the Good scenario). It remembers every request it served.
type Registry struct {
	namespace   string
	release     *Release
	key         SigningKey
	otherKeySig []byte
	mux         *http.ServeMux

	mu       sync.Mutex
	requests []string
}

// New serves release as namespace/<type>, signed by key; otherKeySig is a
// signature of its SHA256SUMS by another key (the OtherKey scenario).
func New(namespace string, release *Release, key SigningKey, otherKeySig []byte) *Registry {
	g := &Registry{namespace: namespace, release: release, key: key, otherKeySig: otherKeySig, mux: http.NewServeMux()}
	g.mux.HandleFunc("GET /.well-known/terraform.json", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]string{"providers.v1": "/" + string(Good) + "/v1/providers/"})
	})
	g.mux.HandleFunc("GET /{scenario}/v1/providers/{namespace}/{type}/versions", g.versions)
	g.mux.HandleFunc("GET /{scenario}/v1/providers/{namespace}/{type}/{version}/download/{os}/{arch}", g.download)
	g.mux.HandleFunc("GET /{scenario}/files/{file}", g.file)
	return g
}

// Requests returns the requests served so far, in order, as "GET /path".
func (g *Registry) Requests() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.requests)
}

// Count returns how many of the requests served were req ("GET /path").
func (g *Registry) Count(req string) int { return count(g.Requests(), req) }

func count(requests []string, req string) int {
	n := 0
	for _, r := range requests {
		if r == req {
			n++
		}
	}
	return n
}

// ProvidersURL is the providers.v1 service URL of scenario s on base (the
// server's https://127.0.0.1:port).
func ProvidersURL(base string, s Scenario) string {
	return base + "/" + string(s) + "/v1/providers/"
}

// FilePath is the path a download document gives for a file of scenario s.
func FilePath(s Scenario, name string) string { return "/" + string(s) + "/files/" + name }

func (g *Registry) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.requests = append(g.requests, r.Method+" "+r.URL.Path)
	g.mu.Unlock()
	g.mux.ServeHTTP(w, r)
}

// provider answers the protocol's 404 unless the request names a known
// scenario and the release's namespace and type.
func (g *Registry) provider(w http.ResponseWriter, r *http.Request) (Scenario, bool) {
	s := Scenario(r.PathValue("scenario"))
	if !slices.Contains(Scenarios, s) || r.PathValue("namespace") != g.namespace || r.PathValue("type") != g.release.Type() {
		w.WriteHeader(http.StatusNotFound)
		writeJSON(w, map[string][]string{"errors": {"Not Found"}})
		return "", false
	}
	return s, true
}

func (g *Registry) protocols() ([]string, error) {
	m, err := g.release.Manifest()
	return m.Metadata.ProtocolVersions, err
}

func (g *Registry) versions(w http.ResponseWriter, r *http.Request) {
	if _, ok := g.provider(w, r); !ok {
		return
	}
	protocols, err := g.protocols()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]any{
		"id": g.namespace + "/" + g.release.Type(),
		"versions": []map[string]any{{
			"version":   g.release.Version,
			"protocols": protocols,
			"platforms": g.release.Platforms(),
		}},
	})
}

func (g *Registry) download(w http.ResponseWriter, r *http.Request) {
	s, ok := g.provider(w, r)
	if !ok {
		return
	}
	p := Platform{OS: r.PathValue("os"), Arch: r.PathValue("arch")}
	zipName := g.release.ZipName(p)
	if r.PathValue("version") != g.release.Version || g.release.Files[zipName] == nil {
		w.WriteHeader(http.StatusNotFound)
		writeJSON(w, map[string][]string{"errors": {"Not Found"}})
		return
	}
	protocols, err := g.protocols()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	sums, err := g.release.Sums()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	base := "https://" + r.Host
	writeJSON(w, map[string]any{
		"protocols":             protocols,
		"os":                    p.OS,
		"arch":                  p.Arch,
		"filename":              zipName,
		"download_url":          base + FilePath(s, zipName),
		"shasums_url":           base + FilePath(s, g.release.SumsName()),
		"shasums_signature_url": base + FilePath(s, g.release.SigName()),
		"shasum":                sums[zipName],
		"signing_keys": map[string]any{
			"gpg_public_keys": []map[string]any{{
				"key_id":          g.key.KeyID,
				"ascii_armor":     g.key.ASCIIArmor,
				"trust_signature": "",
				"source":          "",
				"source_url":      nil,
			}},
		},
	})
}

func (g *Registry) file(w http.ResponseWriter, r *http.Request) {
	s := Scenario(r.PathValue("scenario"))
	name := r.PathValue("file")
	b, ok := g.release.Files[name]
	if !ok || !slices.Contains(Scenarios, s) {
		http.NotFound(w, r)
		return
	}
	switch {
	case s == TamperedZip && strings.HasSuffix(name, ".zip"):
		b = Tamper(b)
	case s == OtherKey && name == g.release.SigName():
		b = g.otherKeySig
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(b)
}

// Tamper returns a copy of b with the byte in its middle changed.
func Tamper(b []byte) []byte {
	c := slices.Clone(b)
	if len(c) > 0 {
		c[len(c)/2] ^= 0xff
	}
	return c
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// StartTLS serves h on 127.0.0.1 over TLS with a certificate for 127.0.0.1
// and localhost signed by a CA made for this server alone (its key stays in
// memory). It returns the server and the CA certificate in PEM, for
// SSL_CERT_FILE.
func StartTLS(h http.Handler) (*httptest.Server, []byte, error) {
	caPEM, leaf, err := newCertificates()
	if err != nil {
		return nil, nil, err
	}
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	return srv, caPEM, nil
}

func newCertificates() (caPEM []byte, leaf tls.Certificate, err error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, leaf, err
	}
	// The validity is wide on purpose: a certificate must not expire under a
	// slow test, nor be "not yet valid" on a machine whose clock is behind.
	notBefore := time.Now().Add(-24 * time.Hour)
	notAfter := notBefore.Add(7 * 24 * time.Hour)
	ca := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "registrytest CA"},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, leaf, err
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, leaf, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:     []string{"localhost"},
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, leaf, err
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, leaf, err
	}
	leaf = tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), leaf, nil
}

// EgressGuard is an HTTP proxy that refuses every request and remembers
// where it was going. A CLI run with HTTPS_PROXY and HTTP_PROXY pointing at
// it reaches loopback addresses directly (Go never proxies them) and
// nothing else: a request to any other host is refused and shows in Hosts.
type EgressGuard struct {
	mu    sync.Mutex
	hosts []string
}

func (e *EgressGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	e.hosts = append(e.hosts, r.Host)
	e.mu.Unlock()
	http.Error(w, fmt.Sprintf("registrytest: %s %s would leave the loopback address", r.Method, r.Host), http.StatusForbidden)
}

// Hosts returns the hosts a request tried to reach through the proxy.
func (e *EgressGuard) Hosts() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.hosts)
}
