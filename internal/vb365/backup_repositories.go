package vb365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Backup repositories: where backed-up data lives, with the controls that
// protect it at rest (retention, encryption, immutability). Read-only here.
//
// The shapes differ by version (versions.go): v8 answers pages and embeds the
// object storage in the repository (objectStorage); v6 and v7 answer bare
// arrays and name the object storage by objectStorageId, read from
// objectstoragerepositories (objectStorageCache). Immutability exists from
// v7 (enabled only) and v8 (period and governance mode too); a field the
// version lacks is nil, never false.

// BackupRepository is RESTBackupRepository with its object storage. Pointers
// are nil when the server sent null or the version lacks the field.
type BackupRepository struct {
	ID          string
	Name        string
	Description string
	// Path is the folder of a JET repository, or the local cache folder of
	// an object storage repository (v6/v7 objectStorageCachePath when path
	// is empty).
	Path    string
	ProxyID string
	// ProxyPoolID and OrganizationID exist from v8.
	ProxyPoolID    string
	OrganizationID string

	RetentionType          string // ItemLevel, SnapshotBased
	RetentionPeriodType    string // Daily, Monthly, Yearly
	DailyRetentionPeriod   *int   // days, when Daily
	MonthlyRetentionPeriod *int   // months, when Monthly
	YearlyRetentionPeriod  string // Year1 ... Years25, Keep, when Yearly

	EncryptionEnabled *bool
	EncryptionKeyID   string

	// CapacityBytes and FreeSpaceBytes describe a JET repository's volume.
	CapacityBytes  *int64
	FreeSpaceBytes *int64
	IsLongTerm     *bool
	IsOutOfSync    *bool

	// ObjectStorageID is set for an object storage repository; ObjectStorage
	// holds it (read from objectstoragerepositories in v6 and v7).
	ObjectStorageID string
	ObjectStorage   *ObjectStorage
}

// IsObjectStorage reports whether the repository keeps its data in object
// storage (rather than a JET database on a proxy's disk).
func (r *BackupRepository) IsObjectStorage() bool { return r.ObjectStorageID != "" }

// RetentionYears is the yearly retention in whole years (Year1 is 1, Years25
// is 25); ok is false for Keep, another period type or an unknown value.
func (r *BackupRepository) RetentionYears() (years int, ok bool) {
	if !strings.EqualFold(r.RetentionPeriodType, "Yearly") {
		return 0, false
	}
	v := strings.ToLower(r.YearlyRetentionPeriod)
	v, found := strings.CutPrefix(v, "years")
	if !found {
		v, found = strings.CutPrefix(v, "year")
	}
	if !found {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// KeepsForever reports a yearly retention of Keep: backups are never
// removed.
func (r *BackupRepository) KeepsForever() bool {
	return strings.EqualFold(r.RetentionPeriodType, "Yearly") && strings.EqualFold(r.YearlyRetentionPeriod, "Keep")
}

// ObjectStorage is RESTObjectStorageComposed (v8) or
// RESTObjectStorageRepositoryComposed (v6, v7), the fields the data sources
// show.
type ObjectStorage struct {
	ID string
	// Name exists in v6 and v7 (the object storage is an object of its own).
	Name string
	// Type: AzureBlob, AmazonS3, AmazonS3Compatible, AzureBlobArchive,
	// AmazonS3Glacier, WasabiCloud, IBMCloud.
	Type      string
	AccountID string
	// Bucket is the Amazon bucket or the Azure container; Folder the folder
	// in it.
	Bucket           string
	Folder           string
	SizeLimitEnabled *bool
	SizeLimitGB      *int64
	UsedSpaceBytes   *int64
	// FreeSpaceBytes is sent when a size limit is set.
	FreeSpaceBytes *int64
	// ImmutabilityEnabled exists from v7; the period and the governance
	// mode from v8. A period of null or 0 means the retention period.
	ImmutabilityEnabled        *bool
	ImmutabilityPeriodDays     *int64
	ImmutabilityGovernanceMode *bool
}

type repositoryWire struct {
	ID                     string  `json:"id"`
	Name                   *string `json:"name"`
	Description            *string `json:"description"`
	Path                   *string `json:"path"`
	ProxyID                *string `json:"proxyId"`
	ProxyPoolID            *string `json:"proxyPoolId"`
	OrganizationID         *string `json:"organizationId"`
	RetentionType          *string `json:"retentionType"`
	RetentionPeriodType    *string `json:"retentionPeriodType"`
	DailyRetentionPeriod   *int    `json:"dailyRetentionPeriod"`
	MonthlyRetentionPeriod *int    `json:"monthlyRetentionPeriod"`
	YearlyRetentionPeriod  *string `json:"yearlyRetentionPeriod"`
	EncryptionEnabled      *bool   `json:"objectStorageEncryptionEnabled"`
	EncryptionKeyID        *string `json:"encryptionKeyId"`
	CapacityBytes          *int64  `json:"capacityBytes"`
	FreeSpaceBytes         *int64  `json:"freeSpaceBytes"`
	IsLongTerm             *bool   `json:"isLongTerm"`
	IsOutOfSync            *bool   `json:"isOutOfSync"`
	// v6, v7
	ObjectStorageID        *string `json:"objectStorageId"`
	ObjectStorageCachePath *string `json:"objectStorageCachePath"`
	// v8
	ObjectStorage *objectStorageWire `json:"objectStorage"`
}

type objectStorageWire struct {
	ID                         string  `json:"id"`
	Name                       *string `json:"name"`
	Type                       *string `json:"type"`
	AccountID                  *string `json:"accountId"`
	SizeLimitEnabled           *bool   `json:"sizeLimitEnabled"`
	SizeLimitGB                *int64  `json:"sizeLimitGB"`
	UsedSpaceBytes             *int64  `json:"usedSpaceBytes"`
	FreeSpaceBytes             *int64  `json:"freeSpaceBytes"`
	EnableImmutability         *bool   `json:"enableImmutability"`
	ImmutabilityPeriodDays     *int64  `json:"immutabilityPeriodDays"`
	ImmutabilityGovernanceMode *bool   `json:"enableImmutabilityGovernanceMode"`
	S3Compatible               *struct {
		Name *string `json:"name"`
	} `json:"amazonBucketS3Compatible"`
	S3Aws *struct {
		Name *string `json:"name"`
	} `json:"amazonBucketS3Aws"`
	AzureContainer *struct {
		Name *string `json:"name"`
	} `json:"azureContainer"`
	S3Folder    *string `json:"s3Folder"`
	AzureFolder *string `json:"azureFolder"`
}

func (w *objectStorageWire) value() *ObjectStorage {
	o := &ObjectStorage{
		ID: w.ID, Name: deref(w.Name), Type: deref(w.Type), AccountID: deref(w.AccountID),
		SizeLimitEnabled: w.SizeLimitEnabled, SizeLimitGB: w.SizeLimitGB,
		UsedSpaceBytes: w.UsedSpaceBytes, FreeSpaceBytes: w.FreeSpaceBytes,
		ImmutabilityEnabled: w.EnableImmutability, ImmutabilityPeriodDays: w.ImmutabilityPeriodDays,
		ImmutabilityGovernanceMode: w.ImmutabilityGovernanceMode,
		Folder:                     firstOf(deref(w.S3Folder), deref(w.AzureFolder)),
	}
	switch {
	case w.S3Compatible != nil && deref(w.S3Compatible.Name) != "":
		o.Bucket = deref(w.S3Compatible.Name)
	case w.S3Aws != nil && deref(w.S3Aws.Name) != "":
		o.Bucket = deref(w.S3Aws.Name)
	case w.AzureContainer != nil:
		o.Bucket = deref(w.AzureContainer.Name)
	}
	return o
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func (w *repositoryWire) value() BackupRepository {
	r := BackupRepository{
		ID: w.ID, Name: deref(w.Name), Description: deref(w.Description),
		Path:    firstOf(deref(w.Path), deref(w.ObjectStorageCachePath)),
		ProxyID: deref(w.ProxyID), ProxyPoolID: deref(w.ProxyPoolID), OrganizationID: deref(w.OrganizationID),
		RetentionType: deref(w.RetentionType), RetentionPeriodType: deref(w.RetentionPeriodType),
		DailyRetentionPeriod: w.DailyRetentionPeriod, MonthlyRetentionPeriod: w.MonthlyRetentionPeriod,
		YearlyRetentionPeriod: deref(w.YearlyRetentionPeriod),
		EncryptionEnabled:     w.EncryptionEnabled, EncryptionKeyID: deref(w.EncryptionKeyID),
		CapacityBytes: w.CapacityBytes, FreeSpaceBytes: w.FreeSpaceBytes,
		IsLongTerm: w.IsLongTerm, IsOutOfSync: w.IsOutOfSync,
		ObjectStorageID: deref(w.ObjectStorageID),
	}
	if w.ObjectStorage != nil {
		r.ObjectStorage = w.ObjectStorage.value()
		r.ObjectStorageID = firstOf(r.ObjectStorage.ID, r.ObjectStorageID)
	}
	return r
}

// BackupRepositoryFilter narrows ListBackupRepositories. Every filter is
// also applied by the client to what the server answers (a server or proxy
// that drops the query must not widen the answer); IDs compare ignoring
// case.
type BackupRepositoryFilter struct {
	// ProxyID: repositories of this proxy (proxyId, every version).
	ProxyID string
	// LongTerm: true keeps the long-term (archive tier) repositories
	// (longTerm=true on the server), false the others (on the client only:
	// the server's longTerm=false answers every repository). A repository
	// whose isLongTerm is null counts as not long-term.
	LongTerm *bool
	// OrganizationID and ProxyPoolID exist from v8 (organizationId,
	// proxyPoolId); an older version refuses them with ErrUnsupported.
	OrganizationID string
	ProxyPoolID    string
}

func (f BackupRepositoryFilter) query() url.Values {
	q := url.Values{}
	if f.ProxyID != "" {
		q.Set("proxyId", f.ProxyID)
	}
	if f.LongTerm != nil && *f.LongTerm {
		q.Set("longTerm", "true")
	}
	if f.OrganizationID != "" {
		q.Set("organizationId", f.OrganizationID)
	}
	if f.ProxyPoolID != "" {
		q.Set("proxyPoolId", f.ProxyPoolID)
	}
	return q
}

func (f BackupRepositoryFilter) keeps(r *BackupRepository) bool {
	switch {
	case f.ProxyID != "" && !strings.EqualFold(f.ProxyID, r.ProxyID),
		f.OrganizationID != "" && !strings.EqualFold(f.OrganizationID, r.OrganizationID),
		f.ProxyPoolID != "" && !strings.EqualFold(f.ProxyPoolID, r.ProxyPoolID):
		return false
	case f.LongTerm != nil:
		return *f.LongTerm == (r.IsLongTerm != nil && *r.IsLongTerm)
	}
	return true
}

const repositoriesPath = "BackupRepositories"

// ListBackupRepositories returns the repositories the filter keeps, in the
// server's order, each with its object storage.
func (c *Client) ListBackupRepositories(ctx context.Context, f BackupRepositoryFilter) ([]BackupRepository, error) {
	if err := c.checkInfrastructure("backup repositories"); err != nil {
		return nil, err
	}
	if (f.OrganizationID != "" || f.ProxyPoolID != "") && !c.spec.repositoryScopeFilters {
		return nil, fmt.Errorf("%w: filtering backup repositories by organization or proxy pool needs REST API v8, the client speaks %s", ErrUnsupported, c.version)
	}
	var out []BackupRepository
	for p, err := range listAny[repositoryWire](ctx, c, repositoriesPath, f.query(), c.spec.repositoriesPaged) {
		if err != nil {
			return nil, err
		}
		for i := range p {
			if r := p[i].value(); f.keeps(&r) {
				out = append(out, r)
			}
		}
	}
	if err := c.attachObjectStorages(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// GetBackupRepository returns one repository by its ID, with its object
// storage; a *NotFoundError (KindRepository) when there is none.
func (c *Client) GetBackupRepository(ctx context.Context, id string) (*BackupRepository, error) {
	if err := c.checkInfrastructure("backup repositories"); err != nil {
		return nil, err
	}
	p := repositoriesPath + "/" + escape(id)
	var w repositoryWire
	if err := c.do(ctx, request{method: http.MethodGet, path: p, wantStatus: http.StatusOK, idempotent: true}, &w); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, &NotFoundError{Kind: KindRepository, Key: "id", Value: id}
		}
		return nil, err
	}
	if err := c.checkID(p, "backup repository", id, w.ID); err != nil {
		return nil, err
	}
	out := []BackupRepository{w.value()}
	if err := c.attachObjectStorages(ctx, out); err != nil {
		return nil, err
	}
	return &out[0], nil
}

// FindBackupRepositoryByName returns the one repository whose name equals
// name ignoring case: a *NotFoundError when there is none, an
// *AmbiguousError naming every match when there are several. The server has
// no name filter: this lists the repositories.
func (c *Client) FindBackupRepositoryByName(ctx context.Context, name string) (*BackupRepository, error) {
	if err := c.checkInfrastructure("backup repositories"); err != nil {
		return nil, err
	}
	var found []BackupRepository
	for p, err := range listAny[repositoryWire](ctx, c, repositoriesPath, nil, c.spec.repositoriesPaged) {
		if err != nil {
			return nil, err
		}
		for i := range p {
			if p[i].Name != nil && strings.EqualFold(*p[i].Name, name) {
				found = append(found, p[i].value())
			}
		}
	}
	switch len(found) {
	case 0:
		return nil, &NotFoundError{Kind: KindRepository, Key: "name", Value: name}
	case 1:
		if err := c.attachObjectStorages(ctx, found); err != nil {
			return nil, err
		}
		return &found[0], nil
	}
	amb := &AmbiguousError{Kind: KindRepository, Key: "name", Value: name}
	for i := range found {
		amb.Matches = append(amb.Matches, Match{ID: found[i].ID, Name: found[i].Name, DisplayName: found[i].Description})
	}
	return nil, amb
}

func (c *Client) checkInfrastructure(what string) error {
	if c.spec.infrastructure {
		return nil
	}
	return fmt.Errorf("%w: %s need REST API v6 or later, the client speaks %s", ErrUnsupported, what, c.version)
}

// attachObjectStorages fills ObjectStorage of the repositories that name
// one by ID only (v6, v7), from the client's objectStorageCache.
func (c *Client) attachObjectStorages(ctx context.Context, repos []BackupRepository) error {
	if c.spec.objectStorages.path == "" {
		return nil
	}
	var ids []string
	for i := range repos {
		if repos[i].ObjectStorage == nil && repos[i].ObjectStorageID != "" {
			ids = append(ids, repos[i].ObjectStorageID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	got, err := c.objectStorages.resolve(ctx, c, ids)
	if err != nil {
		return err
	}
	for i := range repos {
		if repos[i].ObjectStorage == nil && repos[i].ObjectStorageID != "" {
			o := got[strings.ToLower(repos[i].ObjectStorageID)]
			if o == nil {
				return &NotFoundError{Kind: KindObjectStorage, Key: "id", Value: repos[i].ObjectStorageID, Scope: "(named by backup repository " + repos[i].ID + ")"}
			}
			cp := *o
			repos[i].ObjectStorage = &cp
		}
	}
	return nil
}
