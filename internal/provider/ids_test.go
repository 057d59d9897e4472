package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// IDs that differ only in case are one ID: a set holding both is
// refused at plan time (it never converged), and an import in upper case
// stores the server's spelling (it planned a replacement).
func TestAccAuditIDsIgnoreCase(t *testing.T) {
	t.Run("case duplicates refused", func(t *testing.T) {
		fake := startFake(t, vb365test.Options{})
		adele := auditPrincipalID(t, fake, "AdeleV@contoso.onmicrosoft.com")
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      auditItemsConfig(fake, "v8", []string{adele, strings.ToUpper(adele)}, nil),
				ExpectError: regexp.MustCompile(`(?s)Duplicate VB365 ID.*same\s+ID`),
			}},
		})

	})
	t.Run("upper-case import keeps the server's spelling", func(t *testing.T) {
		fake2 := startFake(t, vb365test.Options{})
		adele := auditPrincipalID(t, fake2, "AdeleV@contoso.onmicrosoft.com")
		config := auditItemConfig(fake2, "v8", fmt.Sprintf(`
resource "vb365_audit_item" "adele" {
  organization_id = %q
  user_id         = %q
}`, auditTestOrg, adele))

		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			CheckDestroy:             checkNoAuditItems(fake2),
			Steps: []resource.TestStep{
				{Config: config},
				{
					Config:            config,
					ResourceName:      "vb365_audit_item.adele",
					ImportState:       true,
					ImportStateId:     auditTestOrg + "/user/" + strings.ToUpper(adele),
					ImportStateVerify: true,
				},
			},
		})
	})
}
