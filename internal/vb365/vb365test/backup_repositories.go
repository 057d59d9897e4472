package vb365test

import (
	"net/http"
	"strings"
)

// Backup repositories, their object storage and the backup proxies: the
// server-wide backup infrastructure, read-only over REST here. Every server
// starts with one proxy (DefaultProxyID) and one JET repository on it
// (DefaultRepositoryID), as a fresh VB365 installation has; SeedDemo adds
// object storage repositories (immutable and not, encrypted and not,
// long-term), a branch JET repository and a second proxy.
//
// The shapes per version: v6 and v7 answer bare arrays and name a
// repository's object storage by objectStorageId, served by
// /objectstoragerepositories (v7 adds enableImmutability to it); v8 answers
// pages, embeds objectStorage (with immutabilityPeriodDays and
// enableImmutabilityGovernanceMode) and adds proxyPoolId and organizationId.

// Stable IDs of the infrastructure every server starts with.
const (
	DefaultProxyID      = "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b"
	DefaultProxyHost    = "vb365.contoso.local"
	DefaultRepositoryID = "7b2e4c6d-8f90-4a1b-9c2d-3e4f5a6b7c8d"
	// DefaultRepository is the name of the repository a VB365 setup makes.
	DefaultRepository = "Default Backup Repository"
)

// Repository is a fake backup repository (RESTBackupRepository).
type Repository struct {
	ID, Name, Description string
	// Path is the folder of a JET repository, or the local cache folder of
	// an object storage one.
	Path    string
	ProxyID string
	// ProxyPoolID and OrganizationID are answered from v8.
	ProxyPoolID, OrganizationID string

	RetentionType       string // ItemLevel, SnapshotBased
	RetentionPeriodType string // Daily, Monthly, Yearly
	DailyRetention      int    // days, when Daily
	MonthlyRetention    int    // months, when Monthly
	YearlyRetention     string // Year1 ... Years25, Keep, when Yearly

	Encrypted       bool
	EncryptionKeyID string
	// CapacityBytes and FreeSpaceBytes of a JET repository's volume (null
	// for an object storage repository).
	CapacityBytes, FreeSpaceBytes int64
	OutOfSync                     bool

	// ObjectStorageID names the object storage; empty for JET.
	ObjectStorageID string
}

// ObjectStorage is a fake object storage (v6/v7
// RESTObjectStorageRepositoryComposed; embedded in the v8 repository).
type ObjectStorage struct {
	ID, Name, Description string
	// Type: AzureBlob, AmazonS3, AmazonS3Compatible, AzureBlobArchive,
	// AmazonS3Glacier, WasabiCloud, IBMCloud. The archive tiers
	// (AzureBlobArchive, AmazonS3Glacier) make a long-term repository.
	Type      string
	AccountID string
	// Bucket is the bucket or container, Folder the folder in it.
	Bucket, Folder string
	// SizeLimitGB is the size limit; 0 for none.
	SizeLimitGB    int64
	UsedSpaceBytes int64
	// Immutable is answered from v7, ImmutabilityDays and GovernanceMode
	// from v8 (0 days: the retention period).
	Immutable        bool
	ImmutabilityDays int64
	GovernanceMode   bool
}

// LongTerm reports an archive tier.
func (o *ObjectStorage) LongTerm() bool {
	return o.Type == "AzureBlobArchive" || o.Type == "AmazonS3Glacier"
}

// infrastructure is the server's proxies, repositories and object storages.
type infrastructure struct {
	proxies  []*Proxy
	repos    []*Repository
	storages []*ObjectStorage
}

func newInfrastructure() infrastructure {
	return infrastructure{
		proxies: []*Proxy{{
			ID: DefaultProxyID, HostName: DefaultProxyHost, FQDN: DefaultProxyHost, Description: "Created by Veeam Backup for Microsoft 365",
			Port: 9193, Type: "Local", Status: "Online", OperatingSystem: "Windows", Version: "8.1.2.180", Maintenance: "Disabled",
			Roles: []string{"Orchestrator", "Scheduler", "Processor"},
		}},
		repos: []*Repository{{
			ID: DefaultRepositoryID, Name: DefaultRepository, Description: "Created by Veeam Backup for Microsoft 365",
			Path: `C:\VeeamRepository`, ProxyID: DefaultProxyID,
			RetentionType: "SnapshotBased", RetentionPeriodType: "Yearly", YearlyRetention: "Years3",
			CapacityBytes: 500 << 30, FreeSpaceBytes: 320 << 30,
		}},
	}
}

// Seed IDs of the demo's infrastructure (SeedDemo).
const (
	DemoProxyID                 = "8c3d5e7f-9a1b-4c2d-8e3f-4a5b6c7d8e9f"
	DemoProxyPoolID             = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
	DemoEncryptionKeyID         = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"
	DemoImmutableRepositoryID   = "a1b2c3d4-e5f6-4a7b-8c9d-e0f1a2b3c4d5"
	DemoImmutableObjectStorage  = "b2c3d4e5-f6a7-4b8c-9d0e-f1a2b3c4d5e6"
	DemoArchiveRepositoryID     = "c3d4e5f6-a7b8-4c9d-8e0f-a1b2c3d4e5f6"
	DemoArchiveObjectStorage    = "d4e5f6a7-b8c9-4d0e-9f1a-b2c3d4e5f6a7"
	DemoUnencryptedRepositoryID = "e5f6a7b8-c9d0-4e1f-8a2b-c3d4e5f6a7b8"
	DemoUnencryptedStorage      = "f6a7b8c9-d0e1-4f2a-9b3c-d4e5f6a7b8c9"
	DemoBranchRepositoryID      = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"
)

// seedInfrastructure adds the demo's second proxy and its repositories.
func (s *Server) seedInfrastructure() {
	s.AddProxy(Proxy{ID: DemoProxyID, HostName: "vb365-proxy02.contoso.local", FQDN: "vb365-proxy02.contoso.local",
		Description: "Linux proxy for object storage", Type: "Domain", PoolID: DemoProxyPoolID, OperatingSystem: "Linux"})
	for _, o := range []ObjectStorage{
		{ID: DemoImmutableObjectStorage, Name: "Contoso S3 (Object Lock)", Type: "AmazonS3Compatible", Bucket: "contoso-vb365", Folder: "tenant-contoso",
			UsedSpaceBytes: 120 << 30, Immutable: true, ImmutabilityDays: 30},
		{ID: DemoArchiveObjectStorage, Name: "Contoso Azure Archive", Type: "AzureBlobArchive", Bucket: "contoso-archive", Folder: "vb365",
			SizeLimitGB: 2048, UsedSpaceBytes: 700 << 30},
		{ID: DemoUnencryptedStorage, Name: "Fabrikam Azure", Type: "AzureBlob", Bucket: "fabrikam-vb365", Folder: "backups", UsedSpaceBytes: 40 << 30},
	} {
		s.AddObjectStorage(o)
	}
	fabrikam := ""
	s.mu.Lock()
	for _, o := range s.orgs {
		if strings.HasPrefix(o.Name, "fabrikam") {
			fabrikam = o.ID
		}
	}
	s.mu.Unlock()
	for _, r := range []Repository{
		{ID: DemoImmutableRepositoryID, Name: "Contoso Immutable", Description: "Object Lock, encrypted", Path: "/var/cache/vb365/contoso",
			ProxyID: DemoProxyID, ProxyPoolID: DemoProxyPoolID, OrganizationID: DemoOrganizationID,
			RetentionPeriodType: "Yearly", YearlyRetention: "Years7", Encrypted: true, EncryptionKeyID: DemoEncryptionKeyID,
			ObjectStorageID: DemoImmutableObjectStorage},
		{ID: DemoArchiveRepositoryID, Name: "Contoso Archive", Description: "Long-term copies", Path: `C:\VeeamCache\archive`,
			RetentionPeriodType: "Yearly", YearlyRetention: "Keep", Encrypted: true, EncryptionKeyID: DemoEncryptionKeyID,
			ObjectStorageID: DemoArchiveObjectStorage},
		{ID: DemoUnencryptedRepositoryID, Name: "Fabrikam Azure", Path: `C:\VeeamCache\fabrikam`, OrganizationID: fabrikam,
			RetentionType: "ItemLevel", RetentionPeriodType: "Monthly", MonthlyRetention: 18, ObjectStorageID: DemoUnencryptedStorage},
		{ID: DemoBranchRepositoryID, Name: "Branch Office", Path: "/srv/vb365/branch", ProxyID: DemoProxyID, ProxyPoolID: DemoProxyPoolID,
			RetentionPeriodType: "Daily", DailyRetention: 90, CapacityBytes: 2 << 40, FreeSpaceBytes: 1 << 40},
	} {
		s.AddRepository(r)
	}
}

func repositoryRoutes(r *router) {
	r.handle(http.MethodGet, "/BackupRepositories", (*call).listRepositories)
	r.handle(http.MethodGet, "/BackupRepositories/{repositoryId}", (*call).getRepository)
	r.handle(http.MethodGet, "/objectstoragerepositories", (*call).listObjectStorages, onlyVersions("v6", "v7"))
	r.handle(http.MethodGet, "/objectstoragerepositories/{repositoryId}", (*call).getObjectStorage, onlyVersions("v6", "v7"))

	// PATCH /_fake/backup-repositories?id=... {"encrypted": false,
	// "immutabilityDays": 7, "yearlyRetention": "Year1", ...} changes a
	// repository (and its object storage) behind Terraform's back.
	r.handleAdmin(http.MethodPatch, "/_fake/backup-repositories", func(c *call) {
		var in struct {
			Name             *string `json:"name"`
			Encrypted        *bool   `json:"encrypted"`
			EncryptionKeyID  *string `json:"encryptionKeyId"`
			RetentionPeriod  *string `json:"retentionPeriodType"`
			YearlyRetention  *string `json:"yearlyRetention"`
			MonthlyRetention *int    `json:"monthlyRetention"`
			DailyRetention   *int    `json:"dailyRetention"`
			Immutable        *bool   `json:"immutable"`
			ImmutabilityDays *int64  `json:"immutabilityDays"`
			GovernanceMode   *bool   `json:"governanceMode"`
		}
		if !c.decode(&in) {
			return
		}
		id := c.query("id")
		storage := ""
		ok := c.s.UpdateRepository(id, func(r *Repository) {
			set(&r.Name, in.Name)
			set(&r.Encrypted, in.Encrypted)
			set(&r.EncryptionKeyID, in.EncryptionKeyID)
			set(&r.RetentionPeriodType, in.RetentionPeriod)
			set(&r.YearlyRetention, in.YearlyRetention)
			set(&r.MonthlyRetention, in.MonthlyRetention)
			set(&r.DailyRetention, in.DailyRetention)
			storage = r.ObjectStorageID
		})
		if !ok {
			c.errorf(http.StatusNotFound, "ResourceNotFound", "Backup repository with ID %s was not found.", id)
			return
		}
		if storage != "" {
			c.s.UpdateObjectStorage(storage, func(o *ObjectStorage) {
				set(&o.Immutable, in.Immutable)
				set(&o.ImmutabilityDays, in.ImmutabilityDays)
				set(&o.GovernanceMode, in.GovernanceMode)
			})
		}
		c.noContent(http.StatusNoContent)
	})
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// AddRepository stores r and returns it. Empty fields get what a new
// repository has: a generated ID, the default proxy, snapshot-based
// retention of 3 years; a JET repository a volume of 100 GiB.
func (s *Server) AddRepository(r Repository) *Repository {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.ID == "" {
		r.ID = GUID("repository", s.nextID())
	}
	if r.ProxyID == "" && r.ProxyPoolID == "" {
		r.ProxyID = DefaultProxyID
	}
	if r.RetentionType == "" {
		r.RetentionType = "SnapshotBased"
	}
	if r.RetentionPeriodType == "" {
		r.RetentionPeriodType, r.YearlyRetention = "Yearly", "Years3"
	}
	if r.ObjectStorageID == "" && r.CapacityBytes == 0 {
		r.CapacityBytes, r.FreeSpaceBytes = 100<<30, 60<<30
	}
	if r.ObjectStorageID != "" && s.objectStorage(r.ObjectStorageID) == nil {
		panic("vb365test: AddRepository: unknown object storage " + r.ObjectStorageID)
	}
	rr := r
	s.infra.repos = append(s.infra.repos, &rr)
	return &rr
}

// AddObjectStorage stores o (ID generated when empty) and returns it; a
// repository names it by ObjectStorageID.
func (s *Server) AddObjectStorage(o ObjectStorage) *ObjectStorage {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o.ID == "" {
		o.ID = GUID("object-storage", s.nextID())
	}
	if o.Type == "" {
		o.Type = "AmazonS3"
	}
	if o.AccountID == "" {
		o.AccountID = GUID("account", 1)
	}
	oo := o
	s.infra.storages = append(s.infra.storages, &oo)
	return &oo
}

// repository finds a repository by ID, ignoring case. Callers hold s.mu
// (a job handler checking a job's repositoryId does).
func (s *Server) repository(id string) *Repository {
	for _, r := range s.infra.repos {
		if strings.EqualFold(r.ID, id) {
			return r
		}
	}
	return nil
}

// objectStorage finds an object storage by ID. Callers hold s.mu.
func (s *Server) objectStorage(id string) *ObjectStorage {
	for _, o := range s.infra.storages {
		if strings.EqualFold(o.ID, id) {
			return o
		}
	}
	return nil
}

// RepositoryExists reports whether the server has a repository with this
// ID (ignoring case).
func (s *Server) RepositoryExists(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.repository(id) != nil
}

// Repository returns a copy of a repository (nil when unknown).
func (s *Server) Repository(id string) *Repository {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repository(id)
	if r == nil {
		return nil
	}
	cp := *r
	return &cp
}

// Repositories returns copies of every repository, in the server's order.
func (s *Server) Repositories() []Repository {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Repository, 0, len(s.infra.repos))
	for _, r := range s.infra.repos {
		out = append(out, *r)
	}
	return out
}

// UpdateRepository changes a repository out of band (encryption turned
// off, retention shortened, ...); false when there is none.
func (s *Server) UpdateRepository(id string, change func(*Repository)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repository(id)
	if r != nil {
		change(r)
	}
	return r != nil
}

// UpdateObjectStorage changes an object storage out of band (immutability
// period shortened, ...); false when there is none.
func (s *Server) UpdateObjectStorage(id string, change func(*ObjectStorage)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.objectStorage(id)
	if o != nil {
		change(o)
	}
	return o != nil
}

// RemoveRepository deletes a repository out of band (its object storage
// stays, as on the server); false when there is none.
func (s *Server) RemoveRepository(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.infra.repos {
		if strings.EqualFold(r.ID, id) {
			s.infra.repos = append(s.infra.repos[:i], s.infra.repos[i+1:]...)
			return true
		}
	}
	return false
}

// repositoryJSON renders RESTBackupRepository in the call's version.
// Callers hold s.mu.
func (c *call) repositoryJSON(r *Repository) map[string]any {
	m := map[string]any{
		"id": r.ID, "name": r.Name, "description": c.text(r.Description), "proxyId": nullable(r.ProxyID),
		"retentionType": r.RetentionType, "retentionPeriodType": r.RetentionPeriodType,
		"dailyRetentionPeriod": nil, "monthlyRetentionPeriod": nil, "yearlyRetentionPeriod": nil,
		"retentionFrequencyType": "Daily", "dailyTime": "18:00:00", "dailyType": "Everyday",
		"monthlyTime": "18:00:00", "monthlyDaynumber": "First", "monthlyDayofweek": "Sunday",
		"objectStorageEncryptionEnabled": r.Encrypted, "encryptionKeyId": nil,
		"isOutOfSync": r.OutOfSync, "isLongTerm": false,
		"capacityBytes": nil, "freeSpaceBytes": nil,
		"_links": map[string]any{"self": c.link("/BackupRepositories/" + r.ID)},
	}
	switch r.RetentionPeriodType {
	case "Daily":
		m["dailyRetentionPeriod"] = r.DailyRetention
	case "Monthly":
		m["monthlyRetentionPeriod"] = r.MonthlyRetention
	case "Yearly":
		m["yearlyRetentionPeriod"] = r.YearlyRetention
	}
	if r.Encrypted {
		m["encryptionKeyId"] = nullable(r.EncryptionKeyID)
	}
	o := c.s.objectStorage(r.ObjectStorageID)
	if o == nil {
		m["path"] = r.Path
		m["capacityBytes"], m["freeSpaceBytes"] = r.CapacityBytes, r.FreeSpaceBytes
	} else {
		m["isLongTerm"] = o.LongTerm()
	}
	if c.version != "v8" {
		m["objectStorageId"], m["objectStorageCachePath"] = nil, nil
		if o != nil {
			m["path"] = nil
			m["objectStorageId"], m["objectStorageCachePath"] = o.ID, r.Path
		}
		return m
	}
	m["proxyPoolId"], m["organizationId"] = nullable(r.ProxyPoolID), nullable(r.OrganizationID)
	m["isOutdated"], m["isIndexed"], m["isMigrationLocked"], m["isOutOfOrder"], m["outOfOrderReason"] = false, true, false, false, nil
	m["objectStorage"] = nil
	if o != nil {
		m["path"] = r.Path
		m["objectStorage"] = c.objectStorageJSON(o)
	}
	return m
}

// objectStorageJSON renders the object storage in the call's version: the
// v6/v7 object of its own (with name and description) or the v8 embedded
// one. Immutability: none in v6, enabled in v7, all of it in v8.
func (c *call) objectStorageJSON(o *ObjectStorage) map[string]any {
	m := map[string]any{
		"id": o.ID, "type": o.Type, "accountId": o.AccountID,
		"sizeLimitEnabled": o.SizeLimitGB > 0, "sizeLimitGB": nil, "usedSpaceBytes": o.UsedSpaceBytes, "freeSpaceBytes": nil,
		"_links": map[string]any{},
	}
	if o.SizeLimitGB > 0 {
		m["sizeLimitGB"] = o.SizeLimitGB
		m["freeSpaceBytes"] = max(0, o.SizeLimitGB<<30-o.UsedSpaceBytes)
	}
	switch o.Type {
	case "AzureBlob", "AzureBlobArchive":
		m["azureContainer"] = map[string]any{"name": o.Bucket, "regionType": "Global"}
		m["azureFolder"] = o.Folder
	case "AmazonS3", "AmazonS3Glacier":
		m["amazonBucketS3Aws"] = map[string]any{"name": o.Bucket, "regionType": "Global", "regionId": "eu-central-1", "regionName": "Europe (Frankfurt)"}
		m["s3Folder"] = o.Folder
	default:
		m["amazonBucketS3Compatible"] = map[string]any{"name": o.Bucket, "servicePoint": "https://s3.contoso.local", "customRegionId": "us-east-1"}
		m["s3Folder"] = o.Folder
	}
	switch c.version {
	case "v6", "v7":
		m["name"], m["description"] = o.Name, c.text(o.Description)
		m["_links"] = map[string]any{"self": c.link("/objectstoragerepositories/" + o.ID)}
		if c.version == "v7" {
			m["enableImmutability"] = o.Immutable
		}
	default:
		m["enableImmutability"] = o.Immutable
		m["enableImmutabilityGovernanceMode"] = nil
		m["immutabilityPeriodDays"] = nil
		if o.Immutable {
			m["enableImmutabilityGovernanceMode"] = o.GovernanceMode
			m["immutabilityPeriodDays"] = o.ImmutabilityDays
		}
	}
	return m
}

// GET /BackupRepositories: a bare array with ?proxyId&longTerm (v6, v7), a
// page with ?proxyId&proxyPoolId&organizationId&longTerm (v8). longTerm=true
// keeps the archive tiers; false (as documented) answers every repository.
func (c *call) listRepositories() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	q := c.s.opts.Quirks
	proxy, pool, org := c.query("proxyId"), c.query("proxyPoolId"), c.query("organizationId")
	longTerm := strings.EqualFold(c.query("longTerm"), "true")
	if c.version != "v8" {
		pool, org = "", ""
	}
	if q.RepositoryFiltersIgnored {
		proxy, pool, org, longTerm = "", "", "", false
	}
	all := func() []any {
		out := []any{}
		for _, r := range c.s.infra.repos {
			o := c.s.objectStorage(r.ObjectStorageID)
			switch {
			case proxy != "" && !strings.EqualFold(proxy, r.ProxyID),
				pool != "" && !strings.EqualFold(pool, r.ProxyPoolID),
				org != "" && !strings.EqualFold(org, r.OrganizationID) && (r.OrganizationID != "" || !q.RepositoryOrganizationFilterIncludesUnassigned),
				longTerm && (o == nil || !o.LongTerm()):
				continue
			}
			out = append(out, c.repositoryJSON(r))
		}
		return out
	}
	c.list("/BackupRepositories", all)
}

func (c *call) getRepository() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if r := c.s.repository(c.params[0]); r != nil {
		c.writeJSON(http.StatusOK, c.repositoryJSON(r))
		return
	}
	c.errorf(http.StatusNotFound, "ResourceNotFound", "Backup repository with ID %s was not found.", c.params[0])
}

// GET /objectstoragerepositories (v6, v7): a bare array; longTerm=true keeps
// the archive tiers. Under Quirks.ObjectStorageListOmitsLongTerm a list
// without longTerm=true leaves them out.
func (c *call) listObjectStorages() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	longTerm := strings.EqualFold(c.query("longTerm"), "true")
	out := []any{}
	for _, o := range c.s.infra.storages {
		if longTerm && !o.LongTerm() || !longTerm && o.LongTerm() && c.s.opts.Quirks.ObjectStorageListOmitsLongTerm {
			continue
		}
		out = append(out, c.objectStorageJSON(o))
	}
	c.writeJSON(http.StatusOK, out)
}

func (c *call) getObjectStorage() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if o := c.s.objectStorage(c.params[0]); o != nil {
		c.writeJSON(http.StatusOK, c.objectStorageJSON(o))
		return
	}
	c.errorf(http.StatusNotFound, "ResourceNotFound", "Object storage repository with ID %s was not found.", c.params[0])
}
