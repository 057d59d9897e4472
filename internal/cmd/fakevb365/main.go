// Command fakevb365 serves the fake VB365 REST API (v6, v7, v8) on
// loopback with a seeded demo organization, for the demo, for trying the
// provider without a VB365 server, and for contributors.
//
//	go run ./internal/cmd/fakevb365 -addr 127.0.0.1:4443 -cert-out bin/fake-ca.pem
//
// Out-of-band changes (to make Terraform see drift) go to /_fake/...:
// GET /_fake/requests lists request counts per route. The admin subcommand
// sends them without curl:
//
//	fakevb365 admin -url https://127.0.0.1:4443 -ca bin/fake-ca.pem PATCH /_fake/audit-email-settings '{"enableNotification": false}'
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "admin" {
		if err := admin(os.Args[2:], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "fakevb365 admin:", err)
			os.Exit(1)
		}
		return
	}
	addr := flag.String("addr", "127.0.0.1:4443", "listen address (loopback only)")
	useTLS := flag.Bool("tls", true, "serve HTTPS with a fresh self-signed certificate (like VB365); false serves plain HTTP")
	certOut := flag.String("cert-out", "", "write the self-signed certificate (PEM) here, for the provider's ca_cert_pem")
	urlOut := flag.String("url-out", "", "write the server's URL here once it listens (useful with -addr 127.0.0.1:0)")
	username := flag.String("username", vb365test.DefaultUsername, "user name the token endpoint accepts")
	password := flag.String("password", vb365test.DefaultPassword, "password the token endpoint accepts")
	users := flag.Int("users", 0, "extra generated users in the demo organization")
	composite := flag.Bool("composite-audit-ids", false, "embed colon-composite principal IDs in GET AuditItems")
	throttle := flag.Bool("throttle-token", false, "rate-limit POST /token like a real server (1/s, 5/min)")
	flag.Parse()
	for _, out := range []string{*certOut, *urlOut} {
		if out != "" {
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				log.Fatalf("creating the directory of %s: %v", out, err)
			}
		}
	}

	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		log.Fatalf("bad -addr: %v", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		log.Fatalf("-addr must be a loopback address, not %s", host)
	}

	fake := vb365test.New(vb365test.Options{
		Username: *username,
		Password: *password,
		Quirks:   vb365test.Quirks{CompositeAuditPrincipalIDs: *composite, ThrottleToken: *throttle},
	})
	org := fake.SeedDemo()
	fake.SeedJobRepository()
	if *users > 0 {
		fake.AddUsers(org.ID, *users)
	}

	srv := &http.Server{Addr: *addr, Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	scheme := "http"
	if *useTLS {
		cert, pemBytes, err := selfSigned(host)
		if err != nil {
			log.Fatalf("generating the certificate: %v", err)
		}
		if *certOut != "" {
			if err := os.WriteFile(*certOut, pemBytes, 0o600); err != nil {
				log.Fatalf("writing %s: %v", *certOut, err)
			}
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		scheme = "https"
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listening on %s: %v", *addr, err)
	}
	url := fmt.Sprintf("%s://%s", scheme, ln.Addr())
	fmt.Printf("fake VB365 REST API at %s (v6, v7, v8); user %q\n", url, *username)
	if *urlOut != "" {
		if err := os.WriteFile(*urlOut, []byte(url+"\n"), 0o600); err != nil {
			log.Fatalf("writing %s: %v", *urlOut, err)
		}
	}

	go func() {
		var err error
		if *useTLS {
			err = srv.ServeTLS(ln, "", "")
		} else {
			err = srv.Serve(ln)
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Fatal(err)
		}
	}()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
}

// selfSigned makes a certificate for host, 127.0.0.1 and localhost, valid a day.
func selfSigned(host string) (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "fake VB365 REST API"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if ip := net.ParseIP(host); ip != nil && !ip.Equal(net.IPv4(127, 0, 0, 1)) {
		tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pemBytes, nil
}
