package vb365

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// Audit item types (RESTAuditUserOrGroup.type).
const (
	AuditTypeUser  = "User"
	AuditTypeGroup = "Group"
)

// AuditItem is RESTAuditUserOrGroup: one user or group whose backed-up data
// is audited. ID is the audit item's own opaque ID (not the principal's).
//
// The user.id / group.id embedded in a GET answer may not equal the ID that
// /Users or /Groups return (a public client splits it on ':' and takes
// segment 3); match items to principals with MatchAuditItem, never by
// comparing PrincipalID alone.
type AuditItem struct {
	ID    string           `json:"id"`
	Type  string           `json:"type"`
	User  *User            `json:"user"`
	Group *Group           `json:"group"`
	Links map[string]*Link `json:"_links"`
}

// IsUser reports whether the item audits a user: its type says User, or
// the type is one this client does not know (empty, or newer than the
// documents, such as "UserV2") and the item embeds a user object only.
func (it *AuditItem) IsUser() bool {
	if it.knownType() {
		return strings.EqualFold(it.Type, AuditTypeUser)
	}
	return it.User != nil && it.Group == nil
}

// IsGroup reports whether the item audits a group, by the same rules.
func (it *AuditItem) IsGroup() bool {
	if it.knownType() {
		return strings.EqualFold(it.Type, AuditTypeGroup)
	}
	return it.Group != nil && it.User == nil
}

func (it *AuditItem) knownType() bool {
	return strings.EqualFold(it.Type, AuditTypeUser) || strings.EqualFold(it.Type, AuditTypeGroup)
}

// principal returns the embedded user or group as its four identifying
// fields; all empty when the item carries neither.
func (it *AuditItem) principal() (id, name, displayName, msid string) {
	switch {
	case it.IsUser() && it.User != nil:
		return it.User.ID, it.User.Name, it.User.DisplayName, it.User.MSID
	case it.IsGroup() && it.Group != nil:
		return it.Group.ID, it.Group.Name, it.Group.DisplayName, it.Group.MSID
	}
	return "", "", "", ""
}

// PrincipalID is user.id or group.id as the audit list embeds it.
func (it *AuditItem) PrincipalID() string { id, _, _, _ := it.principal(); return id }

// PrincipalName is the e-mail address (name) of the audited principal.
func (it *AuditItem) PrincipalName() string { _, name, _, _ := it.principal(); return name }

// PrincipalDisplayName is the display name of the audited principal.
func (it *AuditItem) PrincipalDisplayName() string { _, _, dn, _ := it.principal(); return dn }

// principalMSID is the Microsoft Entra object ID of the principal (v8).
func (it *AuditItem) principalMSID() string { _, _, _, msid := it.principal(); return msid }

// NormalizedType is "User" or "Group" (the server's casing), or the raw value.
func (it *AuditItem) NormalizedType() string {
	switch {
	case it.IsUser():
		return AuditTypeUser
	case it.IsGroup():
		return AuditTypeGroup
	}
	return it.Type
}

// ---- wire format ----

// auditItemBody is one element of the POST AuditItems array: the principal
// object as /Users or /Groups returned it, under a top-level type of User or
// Group (the principal's own type, e.g. Office365, is refused).
type auditItemBody struct {
	Type  string          `json:"type"`
	User  *auditUserBody  `json:"user,omitempty"`
	Group *auditGroupBody `json:"group,omitempty"`
}

type auditUserBody struct {
	ID            string           `json:"id"`
	DisplayName   string           `json:"displayName"`
	Name          string           `json:"name"`
	Type          string           `json:"type,omitempty"`
	LocationType  string           `json:"locationType,omitempty"`
	OnPremisesSID string           `json:"onPremisesSid,omitempty"`
	Office        string           `json:"office,omitempty"`
	MSID          string           `json:"msid,omitempty"`
	Links         map[string]*Link `json:"_links,omitempty"`
}

type auditGroupBody struct {
	ID            string           `json:"id"`
	DisplayName   string           `json:"displayName"`
	Name          string           `json:"name,omitempty"`
	ManagedBy     string           `json:"managedBy,omitempty"`
	Site          string           `json:"site,omitempty"`
	Type          string           `json:"type,omitempty"`
	LocationType  string           `json:"locationType,omitempty"`
	OnPremisesSID string           `json:"onPremisesSid,omitempty"`
	MSID          string           `json:"msid,omitempty"`
	Links         map[string]*Link `json:"_links,omitempty"`
}

// auditBody is the object as an element of POST AuditItems: a user or a
// group, nothing else.
func (o Object) auditBody() (auditItemBody, error) {
	switch {
	case o.User != nil && o.Group == nil && o.Site == nil && o.Team == nil:
		u := o.User
		return auditItemBody{Type: AuditTypeUser, User: &auditUserBody{
			ID: u.ID, DisplayName: u.DisplayName, Name: u.Name, Type: u.Type, LocationType: u.LocationType,
			OnPremisesSID: u.OnPremisesSID, Office: u.Office, MSID: u.MSID, Links: u.Links,
		}}, nil
	case o.Group != nil && o.User == nil && o.Site == nil && o.Team == nil:
		g := o.Group
		return auditItemBody{Type: AuditTypeGroup, Group: &auditGroupBody{
			ID: g.ID, DisplayName: g.DisplayName, Name: g.Name, ManagedBy: g.ManagedBy, Site: g.Site, Type: g.Type,
			LocationType: g.LocationType, OnPremisesSID: g.OnPremisesSID, MSID: g.MSID, Links: g.Links,
		}}, nil
	}
	return auditItemBody{}, errors.New("an audit item is a user or a group: exactly one of the two")
}

type removeAuditItemsBody struct {
	ItemIDs []string `json:"itemIds"`
}

// orgPath is the path of an operation below an organization.
func orgPath(orgID string, o op) string { return "Organizations/" + escape(orgID) + "/" + o.path }

func auditPath(orgID string) string { return "Organizations/" + escape(orgID) + "/AuditItems" }

// ---- operations ----

// ListAuditItems returns the audit items of an organization; a
// *NotFoundError of Kind "organization" when it does not exist.
//
// The answer is shared (see listCache): concurrent callers share one
// request and later callers get the cached list, but never a list sent
// before a write of this client returned. So after AddAuditItems the
// caller's next ListAuditItems shows the added principals. The returned slice is the caller's; the User/Group values it
// points to are shared and must not be modified.
func (c *Client) ListAuditItems(ctx context.Context, orgID string) ([]AuditItem, error) {
	return c.audit.list(ctx, orgID, func(ctx context.Context) ([]AuditItem, error) {
		return c.fetchAuditItems(ctx, orgID)
	})
}

// AddAuditItems adds users and groups to the organization's audit list in
// one request (the API takes an array and answers no IDs: list afterwards to
// find the items). Adding a principal that is already audited is a no-op on
// some servers and an error on others.
//
// The POST is safe to repeat: after a 5xx, a lost answer or a timeout the
// server may or may not have added the items, so the client lists them and
// sends again only the principals still missing (up to MaxRetries times).
// No principal is added twice and none is lost.
func (c *Client) AddAuditItems(ctx context.Context, orgID string, principals []Object) error {
	if len(principals) == 0 {
		return nil
	}
	for _, p := range principals {
		if _, err := p.auditBody(); err != nil {
			return err
		}
	}
	defer c.audit.beginWrite(orgID)()
	pending := principals
	for retry := 0; ; retry++ {
		body := make([]auditItemBody, 0, len(pending))
		for _, p := range pending {
			b, _ := p.auditBody()
			body = append(body, b)
		}
		err := c.do(ctx, request{method: http.MethodPost, path: orgPath(orgID, c.spec.auditItemsAdd), body: body, wantStatus: c.spec.auditItemsAdd.status}, nil)
		if err == nil || !uncertainWrite(err) || retry >= c.cfg.MaxRetries {
			return err
		}
		items, lerr := c.fetchAuditItems(ctx, orgID)
		if lerr != nil {
			return err
		}
		var missing []Object
		for _, p := range pending {
			if MatchAuditItem(items, p.Principal()) == nil {
				missing = append(missing, p)
			}
		}
		c.log.Debug(ctx, "VB365 audit-item add failed; listed to see what the server did", map[string]any{
			"organization_id": orgID, "error": err.Error(), "sent": len(pending), "still_missing": len(missing),
		})
		if len(missing) == 0 {
			return nil
		}
		pending = missing
		if serr := c.sleep(ctx, c.backoff(retry)); serr != nil {
			return serr
		}
	}
}

// RemoveAuditItems removes audit items by their item IDs in one request.
// Depending on the server, an unknown ID is ignored or answered with 404
// (ErrNotFound). Like AddAuditItems it is safe to repeat: after an
// uncertain failure it lists and sends again only the IDs still there.
func (c *Client) RemoveAuditItems(ctx context.Context, orgID string, itemIDs []string) error {
	if len(itemIDs) == 0 {
		return nil
	}
	defer c.audit.beginWrite(orgID)()
	pending := itemIDs
	for retry := 0; ; retry++ {
		err := c.do(ctx, request{method: http.MethodPost, path: orgPath(orgID, c.spec.auditItemsRemove), body: removeAuditItemsBody{ItemIDs: pending}, wantStatus: c.spec.auditItemsRemove.status}, nil)
		if err == nil || !uncertainWrite(err) || retry >= c.cfg.MaxRetries {
			return err
		}
		items, lerr := c.fetchAuditItems(ctx, orgID)
		if lerr != nil {
			return err
		}
		present := map[string]bool{}
		for _, it := range items {
			present[strings.ToLower(it.ID)] = true
		}
		var left []string
		for _, id := range pending {
			if present[strings.ToLower(id)] {
				left = append(left, id)
			}
		}
		c.log.Debug(ctx, "VB365 audit-item remove failed; listed to see what the server did", map[string]any{
			"organization_id": orgID, "error": err.Error(), "sent": len(pending), "still_there": len(left),
		})
		if len(left) == 0 {
			return nil
		}
		pending = left
		if serr := c.sleep(ctx, c.backoff(retry)); serr != nil {
			return serr
		}
	}
}

// fetchAuditItems lists the audit items without the shared cache: what a
// write's own check must see is the server's list now.
func (c *Client) fetchAuditItems(ctx context.Context, orgID string) ([]AuditItem, error) {
	var items []AuditItem
	err := c.do(ctx, request{method: http.MethodGet, path: auditPath(orgID), wantStatus: http.StatusOK, idempotent: true}, &items)
	return items, listError(err, orgID)
}
