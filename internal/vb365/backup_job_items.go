package vb365

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// The items of a backup job (RESTJobItemComposed): what a SelectedItems job
// backs up, and what any job leaves out. An item is a user, group, site or
// team of the organization, or an organization-wide kind (the organization
// itself, every personal site, OneDrive folders), with processing flags.
// An item's own ID is a composite of a fixed per-type GUID and the object's
// ID: opaque, taken from a list and given back to DELETE and PUT, never
// built or compared.

// Job item types (RESTJobBackupItemType).
const (
	ItemUser                = "User"
	ItemGroup               = "Group"
	ItemSite                = "Site"
	ItemTeam                = "Team"
	ItemPersonalSites       = "PersonalSites"
	ItemPartialOrganization = "PartialOrganization"
	ItemOneDriveFolders     = "OneDriveFolders"
)

// JobItemTypes are the item types, in the order the documents list them.
var JobItemTypes = []string{ItemGroup, ItemUser, ItemSite, ItemPartialOrganization, ItemPersonalSites, ItemOneDriveFolders, ItemTeam}

// JobItemList names an item list of a job.
type JobItemList string

const (
	JobSelected JobItemList = "SelectedItems"
	JobExcluded JobItemList = "ExcludedItems"
)

// JobItemFlags are an item's processing options. Which of them an item of
// a type has is ItemFlags; the others are false.
type JobItemFlags struct {
	Mailbox, ArchiveMailbox, OneDrive, PersonalSite, Sites, Teams, TeamsChats           bool
	Members, MemberMailbox, MemberArchiveMailbox, MemberOneDrive, MemberSite, GroupSite bool
}

// Flag names, as the wire spells them.
const (
	FlagMailbox              = "mailbox"
	FlagArchiveMailbox       = "archiveMailbox"
	FlagOneDrive             = "oneDrive"
	FlagPersonalSite         = "personalSite"
	FlagSites                = "sites"
	FlagTeams                = "teams"
	FlagTeamsChats           = "teamsChats"
	FlagMembers              = "members"
	FlagMemberMailbox        = "memberMailbox"
	FlagMemberArchiveMailbox = "memberArchiveMailbox"
	FlagMemberOneDrive       = "memberOnedrive"
	FlagMemberSite           = "memberSite"
	FlagGroupSite            = "groupSite"
)

// ItemFlags lists the processing options of each item type, as the
// PowerShell reference pairs them (New-VBOBackupItem): a user's mailbox,
// archive, OneDrive and personal site; a group's own mailbox and site and
// its members' data; the organization's workloads; a team's chats. Sites,
// personal sites and OneDrive folders have none.
var ItemFlags = map[string][]string{
	ItemUser:                {FlagMailbox, FlagArchiveMailbox, FlagOneDrive, FlagPersonalSite},
	ItemGroup:               {FlagMailbox, FlagGroupSite, FlagMembers, FlagMemberMailbox, FlagMemberArchiveMailbox, FlagMemberOneDrive, FlagMemberSite},
	ItemPartialOrganization: {FlagMailbox, FlagArchiveMailbox, FlagOneDrive, FlagSites, FlagTeams, FlagTeamsChats},
	ItemTeam:                {FlagTeamsChats},
	ItemSite:                nil,
	ItemPersonalSites:       nil,
	ItemOneDriveFolders:     nil,
}

// Flag returns the flag of that wire name.
func (f *JobItemFlags) Flag(name string) *bool {
	switch name {
	case FlagMailbox:
		return &f.Mailbox
	case FlagArchiveMailbox:
		return &f.ArchiveMailbox
	case FlagOneDrive:
		return &f.OneDrive
	case FlagPersonalSite:
		return &f.PersonalSite
	case FlagSites:
		return &f.Sites
	case FlagTeams:
		return &f.Teams
	case FlagTeamsChats:
		return &f.TeamsChats
	case FlagMembers:
		return &f.Members
	case FlagMemberMailbox:
		return &f.MemberMailbox
	case FlagMemberArchiveMailbox:
		return &f.MemberArchiveMailbox
	case FlagMemberOneDrive:
		return &f.MemberOneDrive
	case FlagMemberSite:
		return &f.MemberSite
	case FlagGroupSite:
		return &f.GroupSite
	}
	return nil
}

// only keeps the flags of an item type.
func (f JobItemFlags) only(itemType string) JobItemFlags {
	var out JobItemFlags
	for _, name := range ItemFlags[canonicalItemType(itemType)] {
		*out.Flag(name) = *f.Flag(name)
	}
	return out
}

// canonicalItemType spells a type as the documents do; an unknown type is
// returned as it is.
func canonicalItemType(t string) string {
	for _, k := range JobItemTypes {
		if strings.EqualFold(k, t) {
			return k
		}
	}
	return t
}

// itemPrincipalKind is the nested object of an item type ("" for the
// organization-wide types).
func itemPrincipalKind(t string) Kind {
	switch canonicalItemType(t) {
	case ItemUser:
		return KindUser
	case ItemGroup:
		return KindGroup
	case ItemSite:
		return KindSite
	case ItemTeam:
		return KindTeam
	}
	return ""
}

// JobItem is one item of a job's list as the server answers it.
type JobItem struct {
	// ID is the item's own (composite) ID: what RemoveJobItems and
	// UpdateJobItem take.
	ID   string
	Type string
	// PrincipalID is the nested user's, group's, site's or team's ID
	// (read with PrincipalIDOf); "" for the organization-wide types.
	PrincipalID string
	// Name is the user's or group's mail, the site's URL, the team's mail.
	Name    string
	Flags   JobItemFlags
	Folders []string

	// nested is the user, group, site or team as the list answered it (its
	// ID read with PrincipalIDOf), for UpdateJobItem to send back.
	nested jobItemWire
}

// JobItemEntry is an item to send: its type, the user, group, site or
// team it names (as /Users, /Groups, /Sites, /Teams return it; none for the
// organization-wide types), its flags and, for OneDriveFolders, folders.
type JobItemEntry struct {
	Type    string
	Object  Object
	Flags   JobItemFlags
	Folders []string
}

// PrincipalID is the ID of the object the entry names ("" for the
// organization-wide types).
func (e JobItemEntry) PrincipalID() string {
	_, id := e.Object.Kind()
	return id
}

// Is reports whether the item is the entry's: the same type and principal
// (SamePrincipalID), never by the item's own ID. The organization-wide
// types have one item each.
func (it JobItem) Is(e JobItemEntry) bool {
	return strings.EqualFold(it.Type, e.Type) && (itemPrincipalKind(e.Type) == "" || SamePrincipalID(it.PrincipalID, e.PrincipalID()))
}

// Same reports whether the item is the entry with its flags and folders.
func (it JobItem) Same(e JobItemEntry) bool {
	return it.Is(e) && it.SameProcessing(e.Flags, e.Folders)
}

// SameProcessing reports whether the item has these flags (those of its
// type) and folders (ignoring case and order).
func (it JobItem) SameProcessing(flags JobItemFlags, folders []string) bool {
	return it.Flags.only(it.Type) == flags.only(it.Type) && sameFolders(it.Folders, folders)
}

func sameFolders(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, f := range a {
		if !slices.ContainsFunc(b, func(g string) bool { return strings.EqualFold(f, g) }) {
			return false
		}
	}
	return true
}

// jobItemWire is RESTJobItemComposed. The flags are pointers: an answer
// may hold null, and a request sends only the flags of the item's type.
type jobItemWire struct {
	ID                   string         `json:"id,omitempty"`
	Type                 string         `json:"type"`
	User                 *jobUserWire   `json:"user,omitempty"`
	Group                *jobUserWire   `json:"group,omitempty"`
	Site                 *rbacSiteWire  `json:"site,omitempty"`
	Team                 *rbacTeamWire  `json:"team,omitempty"`
	Folders              []string       `json:"folders,omitempty"`
	Mailbox              *bool          `json:"mailbox,omitempty"`
	ArchiveMailbox       *bool          `json:"archiveMailbox,omitempty"`
	OneDrive             *bool          `json:"oneDrive,omitempty"`
	PersonalSite         *bool          `json:"personalSite,omitempty"`
	Sites                *bool          `json:"sites,omitempty"`
	Teams                *bool          `json:"teams,omitempty"`
	TeamsChats           *bool          `json:"teamsChats,omitempty"`
	Chats                *bool          `json:"chats,omitempty"` // v6 has it beside teamsChats; only read
	Members              *bool          `json:"members,omitempty"`
	MemberMailbox        *bool          `json:"memberMailbox,omitempty"`
	MemberArchiveMailbox *bool          `json:"memberArchiveMailbox,omitempty"`
	MemberOneDrive       *bool          `json:"memberOnedrive,omitempty"`
	MemberSite           *bool          `json:"memberSite,omitempty"`
	GroupSite            *bool          `json:"groupSite,omitempty"`
	Links                map[string]any `json:"_links,omitempty"`
}

// jobUserWire is RESTUser or RESTGroup inside an item.
type jobUserWire struct {
	ID           string `json:"id"`
	DisplayName  string `json:"displayName,omitempty"`
	Name         string `json:"name,omitempty"`
	Type         string `json:"type,omitempty"`
	LocationType string `json:"locationType,omitempty"`
}

func (w *jobItemWire) flag(name string) **bool {
	switch name {
	case FlagMailbox:
		return &w.Mailbox
	case FlagArchiveMailbox:
		return &w.ArchiveMailbox
	case FlagOneDrive:
		return &w.OneDrive
	case FlagPersonalSite:
		return &w.PersonalSite
	case FlagSites:
		return &w.Sites
	case FlagTeams:
		return &w.Teams
	case FlagTeamsChats:
		return &w.TeamsChats
	case FlagMembers:
		return &w.Members
	case FlagMemberMailbox:
		return &w.MemberMailbox
	case FlagMemberArchiveMailbox:
		return &w.MemberArchiveMailbox
	case FlagMemberOneDrive:
		return &w.MemberOneDrive
	case FlagMemberSite:
		return &w.MemberSite
	case FlagGroupSite:
		return &w.GroupSite
	}
	return nil
}

func (e JobItemEntry) wire() jobItemWire {
	w := jobItemWire{Type: canonicalItemType(e.Type), Folders: e.Folders}
	switch o := e.Object; {
	case o.User != nil:
		w.User = &jobUserWire{ID: o.User.ID, DisplayName: o.User.DisplayName, Name: o.User.Name, Type: o.User.Type, LocationType: o.User.LocationType}
	case o.Group != nil:
		w.Group = &jobUserWire{ID: o.Group.ID, DisplayName: o.Group.DisplayName, Name: o.Group.Name, Type: o.Group.Type, LocationType: o.Group.LocationType}
	case o.Site != nil:
		w.Site = &rbacSiteWire{ID: o.Site.ID, URL: o.Site.URL, Title: o.Site.Title, ParentURL: o.Site.ParentURL, IsCloud: o.Site.IsCloud, IsPersonal: o.Site.IsPersonal}
	case o.Team != nil:
		w.Team = &rbacTeamWire{ID: o.Team.ID, DisplayName: o.Team.DisplayName, Description: o.Team.Description, Mail: o.Team.Mail}
	}
	for _, name := range ItemFlags[w.Type] {
		v := *e.Flags.Flag(name)
		*w.flag(name) = &v
	}
	return w
}

func (w jobItemWire) item() JobItem {
	it := JobItem{ID: w.ID, Type: canonicalItemType(w.Type), Folders: w.Folders}
	switch {
	case w.User != nil && (w.Group == nil || strings.EqualFold(w.Type, ItemUser)):
		it.PrincipalID, it.Name = w.User.ID, w.User.Name
	case w.Group != nil:
		it.PrincipalID, it.Name = w.Group.ID, w.Group.Name
	case w.Site != nil:
		it.PrincipalID, it.Name = w.Site.ID, w.Site.URL
	case w.Team != nil:
		it.PrincipalID, it.Name = w.Team.ID, w.Team.Mail
	}
	it.PrincipalID = PrincipalIDOf(it.PrincipalID)
	it.nested = jobItemWire{User: w.User, Group: w.Group, Site: w.Site, Team: w.Team}
	for _, id := range []*string{idOf(w.User), idOf(w.Group), siteIDOf(w.Site), teamIDOf(w.Team)} {
		if id != nil {
			*id = PrincipalIDOf(*id)
		}
	}
	if w.TeamsChats == nil {
		w.TeamsChats = w.Chats
	}
	for _, name := range []string{FlagMailbox, FlagArchiveMailbox, FlagOneDrive, FlagPersonalSite, FlagSites, FlagTeams, FlagTeamsChats,
		FlagMembers, FlagMemberMailbox, FlagMemberArchiveMailbox, FlagMemberOneDrive, FlagMemberSite, FlagGroupSite} {
		if p := *w.flag(name); p != nil {
			*it.Flags.Flag(name) = *p
		}
	}
	it.Flags = it.Flags.only(it.Type)
	return it
}

func idOf(u *jobUserWire) *string {
	if u == nil {
		return nil
	}
	return &u.ID
}

func siteIDOf(st *rbacSiteWire) *string {
	if st == nil {
		return nil
	}
	return &st.ID
}

func teamIDOf(t *rbacTeamWire) *string {
	if t == nil {
		return nil
	}
	return &t.ID
}

func itemWires(entries []JobItemEntry) []jobItemWire {
	out := make([]jobItemWire, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.wire())
	}
	return out
}

// missingItems returns the entries that no item is.
func missingItems(entries []JobItemEntry, items []JobItem) []JobItemEntry {
	var out []JobItemEntry
	for _, e := range entries {
		if !slices.ContainsFunc(items, func(it JobItem) bool { return it.Is(e) }) {
			out = append(out, e)
		}
	}
	return out
}

// checkItems refuses teams where the version lacks them.
func (c *Client) checkItems(lists ...[]JobItemEntry) error {
	if c.spec.jobTeams {
		return nil
	}
	for _, l := range lists {
		for _, e := range l {
			if strings.EqualFold(e.Type, ItemTeam) {
				return fmt.Errorf("%w: teams in backup jobs are not in REST API %s", ErrUnsupported, c.version)
			}
		}
	}
	return nil
}

func jobItemsPath(jobID string, list JobItemList) string { return jobPath(jobID) + "/" + string(list) }

// ListJobItems lists one item list of a job (every page, in v8). A job
// that does not exist is a *NotFoundError of KindJob.
func (c *Client) ListJobItems(ctx context.Context, jobID string, list JobItemList) ([]JobItem, error) {
	var ws []jobItemWire
	var err error
	if c.spec.jobsPaged {
		ws, err = allPages(listPages[jobItemWire](ctx, c, jobItemsPath(jobID, list), nil, maxPageSize))
	} else {
		err = c.do(ctx, request{method: http.MethodGet, path: jobItemsPath(jobID, list), wantStatus: http.StatusOK, idempotent: true}, &ws)
	}
	if err != nil {
		return nil, jobError(err, jobID)
	}
	out := make([]JobItem, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.item())
	}
	return out, nil
}

// AddJobItems adds items to one list of a job in one request.
//
// The POST is safe to repeat, as the role member add is: after a 5xx, a
// lost answer or a timeout the client lists the items and sends again only
// those still missing (up to MaxRetries times), so none is added twice and
// none is lost, whether the server refuses or ignores an item it has.
func (c *Client) AddJobItems(ctx context.Context, jobID string, list JobItemList, entries []JobItemEntry) error {
	if len(entries) == 0 {
		return nil
	}
	if err := c.checkItems(entries); err != nil {
		return err
	}
	pending := entries
	for retry := 0; ; retry++ {
		err := c.do(ctx, request{method: http.MethodPost, path: jobItemsPath(jobID, list), body: itemWires(pending), wantStatus: http.StatusNoContent}, nil)
		if err == nil || !uncertainWrite(err) || retry >= c.cfg.MaxRetries {
			return jobError(err, jobID)
		}
		have, lerr := c.ListJobItems(ctx, jobID, list)
		if lerr != nil {
			return jobError(err, jobID)
		}
		missing := missingItems(pending, have)
		c.log.Debug(ctx, "VB365 job item add failed; listed to see what the server did", map[string]any{
			"job_id": jobID, "list": string(list), "error": err.Error(), "sent": len(pending), "still_missing": len(missing),
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

// RemoveJobItems removes items, by their own IDs, from one list. It is
// idempotent (a DELETE by ID), so it is retried as reads are.
func (c *Client) RemoveJobItems(ctx context.Context, jobID string, list JobItemList, itemIDs []string) error {
	if len(itemIDs) == 0 {
		return nil
	}
	q := url.Values{"ids": {strings.Join(itemIDs, ",")}}
	err := c.do(ctx, request{method: http.MethodDelete, path: jobItemsPath(jobID, list), query: q, wantStatus: http.StatusNoContent, idempotent: true}, nil)
	return jobError(err, jobID)
}

// UpdateJobItem replaces the flags and folders of an item as a list
// answered it (its type and object stay, sent back as listed): PUT
// .../{itemId}, idempotent.
func (c *Client) UpdateJobItem(ctx context.Context, jobID string, list JobItemList, it JobItem, flags JobItemFlags, folders []string) error {
	w := it.nested
	w.ID, w.Type, w.Folders = it.ID, it.Type, folders
	for _, name := range ItemFlags[w.Type] {
		v := *flags.Flag(name)
		*w.flag(name) = &v
	}
	err := c.do(ctx, request{method: http.MethodPut, path: jobItemsPath(jobID, list) + "/" + escape(it.ID), body: w, wantStatus: http.StatusNoContent, idempotent: true}, nil)
	return jobError(err, jobID)
}
