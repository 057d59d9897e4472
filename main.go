// Command terraform-provider-vb365 serves the VB365 provider to Terraform.
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/provider"
)

// version is set by goreleaser through -ldflags.
var version = "dev"

func main() {
	var debug, showVersion bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.BoolVar(&showVersion, "version", false, "print the provider's version and exit")
	flag.Parse()
	if showVersion {
		fmt.Println(version)
		return
	}

	// provider.NewServer is the framework's protocol 6 server with the
	// streamed list reads (internal/provider/protocol_server.go), served as
	// providerserver.Serve would serve the framework's.
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if err := tf6server.Serve("registry.terraform.io/terraform-vb365/vb365", provider.NewServer(version), opts...); err != nil {
		log.Fatal(err.Error())
	}
}
