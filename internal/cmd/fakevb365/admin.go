package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// admin sends one request to a running fake's out-of-band API (/_fake/...)
// and copies the answer to out: the demo's and the real-server tier's way of
// changing things behind Terraform's back, with nothing but this binary.
//
//	admin [-url URL] [-ca FILE] METHOD PATH [JSON]
func admin(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("admin", flag.ContinueOnError)
	url := fs.String("url", os.Getenv("VB365_URL"), "the fake's URL (default $VB365_URL)")
	caFile := fs.String("ca", "", "PEM certificate to trust (default $VB365_CA_CERT_PEM)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) < 2 || len(rest) > 3 {
		return errors.New("usage: fakevb365 admin [-url URL] [-ca FILE] METHOD PATH [JSON]")
	}
	method, path := strings.ToUpper(rest[0]), rest[1]
	if *url == "" {
		return errors.New("no -url and no VB365_URL")
	}
	if !strings.HasPrefix(path, "/_fake/") {
		return fmt.Errorf("%s is not an out-of-band path (/_fake/...)", path)
	}
	pemBytes := []byte(os.Getenv("VB365_CA_CERT_PEM"))
	if *caFile != "" {
		b, err := os.ReadFile(*caFile)
		if err != nil {
			return err
		}
		pemBytes = b
	}
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		base = &http.Transport{}
	}
	transport := base.Clone()
	if len(pemBytes) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pemBytes) {
			return errors.New("no PEM certificate in -ca or VB365_CA_CERT_PEM")
		}
		transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	var body io.Reader
	if len(rest) == 3 {
		body = bytes.NewBufferString(rest[2])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(*url, "/")+path, body)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Transport: transport}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(answer)))
	}
	_, err = out.Write(answer)
	return err
}
