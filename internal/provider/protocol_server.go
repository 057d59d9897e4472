package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// frameworkServer is every RPC the framework's protocol 6 server answers:
// the provider protocol and each optional server tf6server looks for (list
// resources, actions, state stores). protocolServer embeds it, so every one
// is forwarded to the framework. The framework's server is a type of an
// internal package, which cannot be named to embed it; instead
// TestProtocolServerForwardsEveryRPC compares the two method sets, so a
// framework upgrade that adds an RPC fails a test instead of being hidden.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// protocolServer is the provider's protocol 6 server: the framework's,
// except that ReadDataSource of the list data sources an organization's
// size sets (vb365_users) is answered by a streamedList (streamed_read.go)
// when it can be.
type protocolServer struct {
	frameworkServer
	provider *vb365Provider
	lists    map[string]*streamedList // by data source type name
}

// streamedReads is "off" in a provider built to measure the framework's own
// path against the streamed reads (docs/guides/performance.md):
//
//	go build -ldflags "-X github.com/terraform-vb365/terraform-provider-vb365/internal/provider.streamedReads=off"
var streamedReads = "on"

// NewServer returns the constructor of the provider's protocol 6 server,
// one provider per server: main serves it, and the tests use it, so they
// test what Terraform runs.
func NewServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := &vb365Provider{version: version}
		fw := providerserver.NewProtocol6(p)()
		full, ok := fw.(frameworkServer)
		if !ok {
			// A framework that dropped one of the optional servers:
			// serve its server as it is, without the streamed reads,
			// rather than hide an RPC (the forwarding test fails).
			return fw
		}
		srv := &protocolServer{frameworkServer: full, provider: p}
		if streamedReads != "off" {
			srv.lists = newStreamedLists()
		}
		return srv
	}
}

// NewServerWithError is NewServer as terraform-plugin-testing wants it.
func NewServerWithError(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) { return NewServer(version)(), nil }
}

// ReadDataSource answers a streamed list's read itself, and everything else
// (another data source, a configuration not wholly known, an unconfigured
// provider, a schema the encoder does not know) with the framework.
func (s *protocolServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if sl, ok := s.lists[req.TypeName]; ok {
		if c := s.provider.client.Load(); c != nil {
			if resp, ok := sl.read(ctx, c, req); ok {
				return resp, nil
			}
		}
	}
	return s.frameworkServer.ReadDataSource(ctx, req)
}
