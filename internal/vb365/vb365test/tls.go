package vb365test

import (
	"encoding/pem"
)

// CertificatePEM returns the PEM encoding of the self-signed certificate a
// server started with StartTLS presents, for a client's CA bundle. It is
// empty for a plain-HTTP server.
func (s *Server) CertificatePEM() string {
	if s.hs == nil || s.hs.TLS == nil {
		return ""
	}
	cert := s.hs.Certificate()
	if cert == nil {
		return ""
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
}
