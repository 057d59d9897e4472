package vb365

import (
	"context"
	"net/http"
)

// JobEmailSettings is RESTNotificationEmailSettingsResponse
// (/VboEmailSettings): the e-mail VB365 sends about job results, which is
// the shared EmailSettings plus when to send it. A boolean the server did
// not send is named in NullBooleans.
type JobEmailSettings struct {
	EmailSettings
	NotifyOnSuccess        bool
	NotifyOnWarning        bool
	NotifyOnFailure        bool
	SuppressUntilLastRetry bool // supressUntilLastRetry on the wire
	AttachDetailedReport   bool
}

type jobEmailSettingsWire struct {
	emailSettingsWire
	NotifyOnSuccess        *bool `json:"notifyOnSuccess"`
	NotifyOnWarning        *bool `json:"notifyOnWarning"`
	NotifyOnFailure        *bool `json:"notifyOnFailure"`
	SuppressUntilLastRetry *bool `json:"supressUntilLastRetry"`
	AttachDetailedReport   *bool `json:"attachDetailedReport"`
}

// JobEmailSettingsUpdate is RESTNotificationEmailSettingsRequest: as
// EmailSettingsUpdate, a nil field leaves the stored value as it is.
type JobEmailSettingsUpdate struct {
	EmailSettingsUpdate
	NotifyOnSuccess        *bool
	NotifyOnWarning        *bool
	NotifyOnFailure        *bool
	SuppressUntilLastRetry *bool
	AttachDetailedReport   *bool
}

type jobEmailSettingsUpdateWire struct {
	emailSettingsUpdateWire
	NotifyOnSuccess        *bool `json:"notifyOnSuccess,omitempty"`
	NotifyOnWarning        *bool `json:"notifyOnWarning,omitempty"`
	NotifyOnFailure        *bool `json:"notifyOnFailure,omitempty"`
	SuppressUntilLastRetry *bool `json:"supressUntilLastRetry,omitempty"`
	AttachDetailedReport   *bool `json:"attachDetailedReport,omitempty"`
}

// GetJobEmailSettings reads the job notification e-mail settings.
func (c *Client) GetJobEmailSettings(ctx context.Context) (*JobEmailSettings, error) {
	var w jobEmailSettingsWire
	if err := c.do(ctx, request{method: http.MethodGet, path: c.spec.jobEmailPut.path, wantStatus: http.StatusOK, idempotent: true}, &w); err != nil {
		return nil, err
	}
	s := &JobEmailSettings{
		EmailSettings:          *w.settings(),
		NotifyOnSuccess:        deref(w.NotifyOnSuccess),
		NotifyOnWarning:        deref(w.NotifyOnWarning),
		NotifyOnFailure:        deref(w.NotifyOnFailure),
		SuppressUntilLastRetry: deref(w.SuppressUntilLastRetry),
		AttachDetailedReport:   deref(w.AttachDetailedReport),
	}
	s.nullBoolean("notifyOnSuccess", w.NotifyOnSuccess)
	s.nullBoolean("notifyOnWarning", w.NotifyOnWarning)
	s.nullBoolean("notifyOnFailure", w.NotifyOnFailure)
	s.nullBoolean("supressUntilLastRetry", w.SuppressUntilLastRetry)
	s.nullBoolean("attachDetailedReport", w.AttachDetailedReport)
	return s, nil
}

// UpdateJobEmailSettings changes the fields set in u and leaves the others
// as the server has them; OAuth fields on v6 are refused as for
// UpdateAuditEmailSettings.
func (c *Client) UpdateJobEmailSettings(ctx context.Context, u JobEmailSettingsUpdate) error {
	shared, err := c.emailUpdateWire(u.EmailSettingsUpdate, "job e-mail")
	if err != nil {
		return err
	}
	w := jobEmailSettingsUpdateWire{
		emailSettingsUpdateWire: shared,
		NotifyOnSuccess:         u.NotifyOnSuccess,
		NotifyOnWarning:         u.NotifyOnWarning,
		NotifyOnFailure:         u.NotifyOnFailure,
		SuppressUntilLastRetry:  u.SuppressUntilLastRetry,
		AttachDetailedReport:    u.AttachDetailedReport,
	}
	return c.do(ctx, request{method: http.MethodPut, path: c.spec.jobEmailPut.path, body: w, wantStatus: c.spec.jobEmailPut.status, idempotent: true}, nil)
}

// SendJobTestEmail asks the server to send a test job notification with the
// stored settings (SendTestEmail in v8, SendTest in v6 and v7); not retried
// after a server error, so one call sends at most one mail.
func (c *Client) SendJobTestEmail(ctx context.Context) error {
	return c.do(ctx, request{method: http.MethodPost, path: c.spec.jobEmailTest.path, wantStatus: c.spec.jobEmailTest.status}, nil)
}

// JobTestEmailPath is the path that sends the test job notification in the
// client's version (for messages).
func (c *Client) JobTestEmailPath() string {
	return "/" + string(c.version) + "/" + c.spec.jobEmailTest.path
}
