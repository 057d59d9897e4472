package provider

// Portable acceptance tests: they need nothing but a VB365 organization with
// one user and one group, so they run against the in-process fake by
// default and against a real server on the real-server tier
// (acc_target_test.go). They look everything up by name and clean up.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

func (a *accTarget) lookups() string {
	return a.providerBlock + fmt.Sprintf(`
data "vb365_organization" "org" { name = %q }
data "vb365_user" "u" {
  organization_id = data.vb365_organization.org.id
  name            = %q
}
data "vb365_group" "g" {
  organization_id = data.vb365_organization.org.id
  name            = %q
}
`, a.organization, a.user, a.group)
}

// notAudited checks that neither principal of the target is audited.
func (a *accTarget) notAudited(*terraform.State) error {
	now, err := a.auditedPrincipals(context.Background())
	if err != nil {
		return err
	}
	for _, name := range []string{a.user, a.group} {
		if now[strings.ToLower(name)] != "" {
			return fmt.Errorf("%s is still audited after destroy", name)
		}
	}
	return nil
}

func equalFoldTo(want string) resource.CheckResourceAttrWithFunc {
	return func(got string) error {
		if !strings.EqualFold(got, want) {
			return fmt.Errorf("%q, want %q (ignoring case)", got, want)
		}
		return nil
	}
}

func TestAccPortable_auditItem(t *testing.T) {
	a := newAccTarget(t)
	a.cleanUpAfter(t, "")
	cfg := a.lookups() + `
resource "vb365_audit_item" "u" {
  organization_id = data.vb365_organization.org.id
  user_id         = data.vb365_user.u.id
}
`
	a.run(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             a.notAudited,
		Steps: []resource.TestStep{
			{Config: cfg, Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttrWith("vb365_audit_item.u", "name", equalFoldTo(a.user)),
				resource.TestCheckResourceAttr("vb365_audit_item.u", "type", "User"),
				resource.TestCheckResourceAttrSet("vb365_audit_item.u", "item_id"),
			)},
			{Config: cfg, ResourceName: "vb365_audit_item.u", ImportState: true, ImportStateVerify: true},
		},
	})
}

func TestAccPortable_auditItems(t *testing.T) {
	a := newAccTarget(t)
	if a.preexisting > 0 {
		t.Skipf("organization %s has %d audit items that vb365_audit_items would remove; skipped so that they are left alone", a.organization, a.preexisting)
	}
	a.cleanUpAfter(t, "")
	both := a.lookups() + `
resource "vb365_audit_items" "all" {
  organization_id = data.vb365_organization.org.id
  user_ids        = [data.vb365_user.u.id]
  group_ids       = [data.vb365_group.g.id]
}
`
	userOnly := a.lookups() + `
resource "vb365_audit_items" "all" {
  organization_id = data.vb365_organization.org.id
  user_ids        = [data.vb365_user.u.id]
}
`
	a.run(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             a.notAudited,
		Steps: []resource.TestStep{
			{Config: both, Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("vb365_audit_items.all", "user_ids.#", "1"),
				resource.TestCheckResourceAttr("vb365_audit_items.all", "group_ids.#", "1"),
			)},
			{Config: userOnly, Check: resource.TestCheckResourceAttr("vb365_audit_items.all", "group_ids.#", "0")},
			{Config: userOnly, ResourceName: "vb365_audit_items.all", ImportState: true, ImportStateVerify: true},
		},
	})
}

func TestAccPortable_restoreOperatorRole(t *testing.T) {
	a := newAccTarget(t)
	name := a.roleName()
	a.cleanUpAfter(t, name)
	cfg := func(description string) string {
		return a.lookups() + fmt.Sprintf(`
resource "vb365_restore_operator_role" "r" {
  organization_id = data.vb365_organization.org.id
  name            = %q
  description     = %q
  role_type       = "EntireOrganization"
  operators       = { user_ids = [data.vb365_user.u.id] }
  excluded_items  = { group_ids = [data.vb365_group.g.id] }
}
`, name, description)
	}
	a.run(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			roles, err := a.client.ListRestoreOperatorRoles(context.Background(), a.orgID)
			if err != nil {
				return err
			}
			for _, r := range roles {
				if r.Name == name {
					return fmt.Errorf("the role %s is still there after destroy", name)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: cfg("created by the vb365 acceptance tests"), Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("vb365_restore_operator_role.r", "name", name),
				resource.TestCheckResourceAttr("vb365_restore_operator_role.r", "operators.user_ids.#", "1"),
				resource.TestCheckResourceAttr("vb365_restore_operator_role.r", "excluded_items.group_ids.#", "1"),
			)},
			{Config: cfg("updated by the vb365 acceptance tests"), Check: resource.TestCheckResourceAttr("vb365_restore_operator_role.r", "description", "updated by the vb365 acceptance tests")},
			{Config: cfg("updated by the vb365 acceptance tests"), ResourceName: "vb365_restore_operator_role.r", ImportState: true, ImportStateVerify: true},
		},
	})
}
