package vb365test

import (
	"fmt"
	"strings"
	"time"
)

// Organization is a fake organization with its users, groups and audit items.
type Organization struct {
	ID          string
	Name        string
	OfficeName  string
	Description string
	Type        string // Office365, OnPremises, Hybrid
	Region      string // Worldwide, ...
	MSID        string

	Users  []*User
	Groups []*Group
	Sites  []*Site
	Teams  []*Team
	// Audit holds the audit items in the order they were added.
	Audit []*AuditItem
}

// User is a fake organization user (RESTUser).
type User struct {
	ID            string
	Name          string // e-mail address / UPN
	DisplayName   string
	Type          string // User, Shared, Public
	LocationType  string // Cloud, OnPremises, Hybrid
	OnPremisesSID string
	Office        string
	MSID          string
}

// Group is a fake organization group (RESTGroup).
type Group struct {
	ID            string
	Name          string // mail address
	DisplayName   string
	Type          string // Office365, Security, Distribution, DynamicDistribution
	LocationType  string
	ManagedBy     string
	Site          string
	OnPremisesSID string
	MSID          string
}

// AuditItem is one audited principal (RESTAuditUserOrGroup).
type AuditItem struct {
	ID   string
	Type string // User or Group
	// PrincipalID is the ID of the user or group as /Users or /Groups return it.
	PrincipalID string
	// Posted keeps the principal object as the client posted it, for
	// principals the server did not know (AuditUnknownPrincipalAccepted).
	Posted map[string]any
}

// AuditEmailSettings is the stored audit notification configuration.
// Password is never returned by the API; tests read it here.
type AuditEmailSettings struct {
	EnableNotification bool
	SMTPServer         string
	Port               int
	UseAuthentication  bool
	Username           string
	Password           string
	UseSSL             bool
	From               string
	To                 string
	Subject            string
	AuthenticationType string // CustomSmtp, Microsoft365, GoogleGmail
	ClientID           string
	TenantID           string
	UserID             string
	MailAPIURL         string
	RequestID          string
	IsAuthenticated    bool
}

// JobFlags are what the job notification settings add to the shared
// e-mail fields: when to send, and what to attach.
type JobFlags struct {
	NotifyOnSuccess       bool
	NotifyOnWarning       bool
	NotifyOnFailure       bool
	SupressUntilLastRetry bool // sic, as on the wire
	AttachDetailedReport  bool
}

// JobEmailSettings is the stored /VboEmailSettings.
type JobEmailSettings struct {
	AuditEmailSettings
	JobFlags
}

// DefaultJobSubject is the subject a fresh fake server has for job
// notifications (the console's default).
const DefaultJobSubject = "[%JobResult%] %JobName% (%ObjectCount% objects) %Issues% issues"

func defaultJobEmailSettings() JobEmailSettings {
	return JobEmailSettings{
		AuditEmailSettings: AuditEmailSettings{Port: 25, AuthenticationType: "CustomSmtp", Subject: DefaultJobSubject},
		JobFlags:           JobFlags{NotifyOnSuccess: true, NotifyOnWarning: true, NotifyOnFailure: true, SupressUntilLastRetry: true},
	}
}

// DefaultAuditSubject is the subject a fresh fake server has (the doc sample).
const DefaultAuditSubject = "[Audit] %OrganizationName% - %DisplayName% - %Action% initiated by %InitiatedByUserName% at %StartTime%"

func defaultAuditEmailSettings() AuditEmailSettings {
	return AuditEmailSettings{
		Port:               25,
		AuthenticationType: "CustomSmtp",
		Subject:            DefaultAuditSubject,
	}
}

// SentTestEmail records a test mail the fake was asked to send.
type SentTestEmail struct {
	Version  string
	Path     string // "/AuditEmailSettings" or "/VboEmailSettings"
	Settings AuditEmailSettings
}

// ---- seed builders ----

// GUID returns a deterministic GUID-shaped string for seed data.
func GUID(kind string, n int) string {
	h := uint32(2166136261)
	for _, b := range []byte(kind) {
		h = (h ^ uint32(b)) * 16777619
	}
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", h, n&0xffff, (n>>16)&0xfff, n&0xfff, uint64(n)*2654435761&0xffffffffffff)
}

const zeroGUID = "00000000-0000-0000-0000-000000000000"

// CloudPrincipalID builds a cloud user or group ID: the Entra object GUID
// followed by a zero GUID (72 characters).
func CloudPrincipalID(objectID string) string { return objectID + zeroGUID }

// HybridPrincipalID builds a hybrid or on-premises ID: the cloud form with a
// base64 SID appended.
func HybridPrincipalID(objectID, sid string) string { return objectID + zeroGUID + sid }

// AddOrganization stores org (ID generated when empty) and returns it.
func (s *Server) AddOrganization(org Organization) *Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	if org.ID == "" {
		org.ID = GUID("org", s.nextID())
	}
	if org.Type == "" {
		org.Type = "Office365"
	}
	if org.Region == "" {
		org.Region = "Worldwide"
	}
	if org.OfficeName == "" {
		org.OfficeName = org.Name
	}
	o := org
	s.orgs = append(s.orgs, &o)
	return &o
}

// AddUser stores u in the organization (ID generated when empty).
func (s *Server) AddUser(orgID string, u User) *User {
	s.mu.Lock()
	defer s.mu.Unlock()
	org := s.org(orgID)
	if org == nil {
		panic("vb365test: AddUser: unknown organization " + orgID)
	}
	return org.addUser(s, u)
}

func (o *Organization) addUser(s *Server, u User) *User {
	if u.MSID == "" {
		u.MSID = GUID("user", s.nextID())
	}
	if u.ID == "" {
		u.ID = CloudPrincipalID(u.MSID)
	}
	if u.Type == "" {
		u.Type = "User"
	}
	if u.LocationType == "" {
		u.LocationType = "Cloud"
	}
	if u.DisplayName == "" {
		u.DisplayName = strings.SplitN(u.Name, "@", 2)[0]
	}
	uu := u
	o.Users = append(o.Users, &uu)
	return &uu
}

// AddUsers generates n cloud users named user00001@<domain> ... in the
// organization, for scale tests.
func (s *Server) AddUsers(orgID string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	org := s.org(orgID)
	if org == nil {
		panic("vb365test: AddUsers: unknown organization " + orgID)
	}
	start := len(org.Users)
	for i := 1; i <= n; i++ {
		k := start + i
		org.addUser(s, User{
			Name:        fmt.Sprintf("user%05d@%s", k, org.Name),
			DisplayName: fmt.Sprintf("Generated User %05d", k),
			Office:      fmt.Sprintf("Floor %d", k%40),
		})
	}
}

// AddGroup stores g in the organization (ID generated when empty).
func (s *Server) AddGroup(orgID string, g Group) *Group {
	s.mu.Lock()
	defer s.mu.Unlock()
	org := s.org(orgID)
	if org == nil {
		panic("vb365test: AddGroup: unknown organization " + orgID)
	}
	if g.MSID == "" {
		g.MSID = GUID("group", s.nextID())
	}
	if g.ID == "" {
		g.ID = CloudPrincipalID(g.MSID)
	}
	if g.Type == "" {
		g.Type = "Office365"
	}
	if g.LocationType == "" {
		g.LocationType = "Cloud"
	}
	if g.DisplayName == "" {
		g.DisplayName = strings.SplitN(g.Name, "@", 2)[0]
	}
	gg := g
	org.Groups = append(org.Groups, &gg)
	return &gg
}

// org finds an organization by ID (GUIDs compare without case). Callers hold s.mu.
func (s *Server) org(id string) *Organization {
	for _, o := range s.orgs {
		if strings.EqualFold(o.ID, id) {
			return o
		}
	}
	return nil
}

// Organization returns a copy of an organization's fields (nil if unknown).
func (s *Server) Organization(id string) *Organization {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.org(id)
	if o == nil {
		return nil
	}
	cp := *o
	return &cp
}

// UpdateOrganization changes an organization out of band.
func (s *Server) UpdateOrganization(id string, change func(o *Organization)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.org(id); o != nil {
		change(o)
	}
}

// RemoveOrganization deletes an organization out of band.
func (s *Server) RemoveOrganization(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, o := range s.orgs {
		if strings.EqualFold(o.ID, id) {
			s.orgs = append(s.orgs[:i], s.orgs[i+1:]...)
			return
		}
	}
}

func (o *Organization) user(id string) *User {
	for _, u := range o.Users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

func (o *Organization) group(id string) *Group {
	for _, g := range o.Groups {
		if g.ID == id {
			return g
		}
	}
	return nil
}

// Seed IDs of the demo organization (SeedDemo).
const (
	DemoOrganizationID = "6f144e6f-7f59-475f-8e1d-1bfa0b6bb020"
	DemoOrganization   = "contoso.onmicrosoft.com"
)

// SeedDemo adds the demo organizations: Contoso (Microsoft 365, with users,
// a hybrid user and groups) and Fabrikam (hybrid, empty).
func (s *Server) SeedDemo() *Organization {
	org := s.AddOrganization(Organization{
		ID: DemoOrganizationID, Name: DemoOrganization, OfficeName: DemoOrganization,
		Description: "Contoso production tenant", Type: "Office365", Region: "Worldwide",
		MSID: "1c2d3e4f-0000-4000-8000-000000000001",
	})
	for _, u := range []User{
		{Name: "AdeleV@contoso.onmicrosoft.com", DisplayName: "Adele Vance", Office: "18/2111", MSID: "a54b55d8-4a07-4755-9889-5001ded697f0"},
		{Name: "AlexW@contoso.onmicrosoft.com", DisplayName: "Alex Wilber", Office: "131/1104"},
		{Name: "MeganB@contoso.onmicrosoft.com", DisplayName: "Megan Bowen", Office: "12/1110"},
		{Name: "NestorW@contoso.onmicrosoft.com", DisplayName: "Nestor Wilke", Office: "36/2121"},
		{Name: "ceo@contoso.onmicrosoft.com", DisplayName: "Chief Executive", Office: "1/1"},
		{Name: "shared-finance@contoso.onmicrosoft.com", DisplayName: "Finance Mailbox", Type: "Shared"},
		{Name: "PattiF@contoso.onmicrosoft.com", DisplayName: "Patti Fernandez", LocationType: "Hybrid",
			MSID: "fafba54d-7ec0-4066-b96d-13be036200f8", OnPremisesSID: "S-1-5-21-620408442-2499537385-1871349438-2190",
			ID: HybridPrincipalID("fafba54d-7ec0-4066-b96d-13be036200f8", "AQUAAAAAAAUVAAAAervaJPfu-8CbZ-GQjggAAA")},
	} {
		s.AddUser(org.ID, u)
	}
	for _, g := range []Group{
		{Name: "HR@contoso.onmicrosoft.com", DisplayName: "HR", Type: "Office365", ManagedBy: "MeganB", Site: "https://contoso.sharepoint.com/sites/HR"},
		{Name: "Finance@contoso.onmicrosoft.com", DisplayName: "Finance", Type: "Office365", ManagedBy: "AlexW", Site: "https://contoso.sharepoint.com/sites/Finance"},
		{Name: "Executives@contoso.onmicrosoft.com", DisplayName: "Executives", Type: "Security"},
	} {
		s.AddGroup(org.ID, g)
	}
	s.AddOrganization(Organization{
		ID: "0d7e2f6a-91c3-4b8e-a5d4-3c2b1a0f9e87", Name: "fabrikam.onmicrosoft.com", OfficeName: "fabrikam.onmicrosoft.com",
		Type: "Hybrid", Region: "Worldwide", MSID: "2d3e4f50-0000-4000-8000-000000000002",
	})
	for _, st := range []Site{
		{ID: DemoSiteID, URL: "https://contoso.sharepoint.com/sites/HR", Title: "HR"},
		{URL: "https://contoso.sharepoint.com/sites/Finance", Title: "Finance"},
		{URL: "https://contoso.sharepoint.com/sites/Finance/Audit", ParentURL: "https://contoso.sharepoint.com/sites/Finance", Title: "Finance Audit"},
		{URL: "https://contoso-my.sharepoint.com/personal/ceo_contoso_onmicrosoft_com", Title: "Chief Executive", IsPersonal: true},
	} {
		s.AddSite(org.ID, st)
	}
	for _, t := range []Team{
		{ID: DemoTeamID, DisplayName: "Sales", Description: "Sales team", Mail: "Sales@contoso.onmicrosoft.com"},
		{DisplayName: "Sales EMEA", Description: "", Mail: "SalesEMEA@contoso.onmicrosoft.com"},
		{DisplayName: "Helpdesk", Description: "First-line support", Mail: "Helpdesk@contoso.onmicrosoft.com"},
	} {
		s.AddTeam(org.ID, t)
	}
	s.seedDataAccess(s.Organization(DemoOrganizationID))
	s.seedRestoreSessions(s.Organization(DemoOrganizationID))
	s.seedInfrastructure()
	return s.Organization(DemoOrganizationID)
}

// Seed IDs of the demo's sites and teams: a site ID is two GUIDs written
// together.
const (
	DemoSiteID = "084282fd-ca6d-4f26-847a-3538f0ac84ea4d9b02b3-9ef9-4f4f-b22a-a63d17f12852"
	DemoTeamID = "6c2b9a3e-5d4f-4e1a-9b8c-7d6e5f4a3b2c"
)

// Restore operators of the demo's sessions.
const (
	DemoHelpdeskOperator = `CONTOSO\helpdesk-anna`
	DemoSecondOperator   = `CONTOSO\helpdesk-ben`
	DemoAdministrator    = `CONTOSO\administrator`
)

// seedRestoreSessions records four sessions across workloads: three within
// the last day (one still running), one older.
func (s *Server) seedRestoreSessions(org *Organization) {
	id := func(name string) string {
		for _, u := range org.Users {
			if strings.EqualFold(u.Name, name) {
				return u.ID
			}
		}
		return ""
	}
	now := s.now().UTC().Truncate(time.Second)
	s.AddRestoreSession(RestoreSession{Type: "Vex", InitiatedBy: DemoHelpdeskOperator, CreationTime: now.Add(-2 * time.Hour),
		ScopeName: "Adele Vance", ClientHost: "HELPDESK-PC01", Reason: "Ticket 4711: deleted folder",
		Events: []RestoreSessionEvent{
			{Type: "View", ItemName: "Inbox", ItemType: "Folder", UserID: id("AdeleV@contoso.onmicrosoft.com"), Source: "AdeleV@contoso.onmicrosoft.com"},
			{Type: "Restore", ItemName: "Projects", ItemType: "Folder", ItemSizeBytes: 1048576, UserID: id("AdeleV@contoso.onmicrosoft.com"),
				Source: "AdeleV@contoso.onmicrosoft.com", Target: "AdeleV@contoso.onmicrosoft.com"},
		}})
	s.AddRestoreSession(RestoreSession{Type: "Veod", InitiatedBy: DemoHelpdeskOperator, CreationTime: now.Add(-5 * time.Hour),
		ScopeName: "Megan Bowen", ClientHost: "HELPDESK-PC01",
		Events: []RestoreSessionEvent{
			{Type: "Export", ItemName: "Q3 forecast.xlsx", ItemType: "File", ItemSizeBytes: 52300, UserID: id("MeganB@contoso.onmicrosoft.com"), Target: "C:\\Exports"},
		}})
	s.AddRestoreSession(RestoreSession{Type: "Vet", InitiatedBy: DemoSecondOperator, CreationTime: now.Add(-1 * time.Hour),
		State: "Working", ScopeName: "Sales", ClientHost: "HELPDESK-PC02",
		Events: []RestoreSessionEvent{{Type: "View", ItemName: "General", ItemType: "Channel"}}})
	s.AddRestoreSession(RestoreSession{Type: "Vesp", InitiatedBy: DemoAdministrator, CreationTime: now.Add(-30 * time.Hour),
		ScopeName: "https://contoso.sharepoint.com/sites/HR", ClientHost: "VB365-SRV01",
		Events: []RestoreSessionEvent{{Type: "Save", ItemName: "Salaries.docx", ItemType: "File", ItemSizeBytes: 20480}}})
}
