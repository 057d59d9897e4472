package vb365

import (
	"context"
	"fmt"
)

// GetPrincipal fetches the user (KindUser) or group (KindGroup) with the
// given ID, as the entry an audit item is added with. Its errors are those
// of GetUser and GetGroup.
func (c *Client) GetPrincipal(ctx context.Context, orgID string, kind Kind, id string) (AuditEntry, error) {
	switch kind {
	case KindUser:
		u, err := c.GetUser(ctx, orgID, id)
		if err != nil {
			return AuditEntry{}, err
		}
		return AuditEntry{User: u}, nil
	case KindGroup:
		g, err := c.GetGroup(ctx, orgID, id)
		if err != nil {
			return AuditEntry{}, err
		}
		return AuditEntry{Group: g}, nil
	}
	return AuditEntry{}, fmt.Errorf("vb365: %q is neither a user nor a group", kind)
}
