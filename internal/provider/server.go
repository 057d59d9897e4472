package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// frameworkServer is what the framework's protocol 6 server implements:
// the provider protocol with list resources and actions.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
}

// server is the provider's protocol 6 server: the framework's, except that
// ReadDataSource of the list data sources an organization's size sets
// (vb365_users) is answered by streamedRead (streamed_read.go).
type server struct {
	frameworkServer
	provider *vb365Provider
}

// NewServer returns the constructor of the provider's protocol 6 server,
// one provider per server: main serves it, and the tests use it, so they
// test what Terraform runs.
func NewServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := &vb365Provider{version: version}
		fw, ok := providerserver.NewProtocol6(p)().(frameworkServer)
		if !ok {
			panic("the framework's protocol 6 server lacks the list resource or action RPCs")
		}
		return &server{frameworkServer: fw, provider: p}
	}
}

// NewServerWithError is NewServer as terraform-plugin-testing wants it.
func NewServerWithError(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) { return NewServer(version)(), nil }
}

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if sl, ok := streamedLists[req.TypeName]; ok {
		if c := s.provider.client.Load(); c != nil {
			if resp, ok := sl.read(ctx, c, req); ok {
				return resp, nil
			}
		}
	}
	return s.frameworkServer.ReadDataSource(ctx, req)
}
