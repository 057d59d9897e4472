package vb365

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
)

// The retry policy, in one place:
//
//   - 429 with Retry-After: wait as told (capped at RetryAfterMax per wait)
//     for as long as the RateLimitWait budget lasts, whatever MaxRetries
//     says: a throttling server says when to come back, and giving up
//     after a count of attempts fails resources that would have worked.
//   - 429 without Retry-After, 5xx and connection errors: up to MaxRetries
//     retries with exponential backoff and jitter. 5xx and connection
//     errors only for idempotent requests: the writes that are not
//     (adding and removing audit items, creating a restore operator role,
//     adding its members) look before they send again, in their own
//     operation (audit_items.go, restore_operator_roles.go).
//   - Never: a refused redirect, a certificate error, a scheme mismatch, an
//     unknown host (permanentTransportError), any other 4xx.
//   - 401: once, after a new token.

// throttleWait returns how long to wait after a 429 with a Retry-After
// header, and whether the budget allows it. spent is what this request
// has waited on 429s so far.
func (c *Client) throttleWait(h http.Header, spent time.Duration) (time.Duration, bool, bool) {
	ra, ok := parseRetryAfter(h.Get("Retry-After"), time.Now())
	if !ok {
		return 0, false, false
	}
	wait := min(ra, c.cfg.RetryAfterMax)
	// "Retry-After: 0" over and over must not spin: every wait counts
	// for at least RetryWaitMin.
	wait = max(wait, c.cfg.RetryWaitMin)
	return wait, true, spent+wait <= c.cfg.RateLimitWait
}

func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.RetryWaitMin << min(attempt, 16)
	if d <= 0 || d > c.cfg.RetryWaitMax {
		d = c.cfg.RetryWaitMax
	}
	// Up to 25% jitter so parallel callers do not retry in lockstep.
	jitter := time.Duration(time.Now().UnixNano() % int64(d/4+1))
	return d - d/8 + jitter/2
}

// parseRetryAfter reads seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var secs int
	if _, err := fmt.Sscanf(v, "%d", &secs); err == nil && fmt.Sprint(secs) == v {
		if secs < 0 {
			return 0, false
		}
		// Saturate instead of overflowing time.Duration (the caller caps
		// the wait at RetryAfterMax anyway).
		if secs > int(math.MaxInt64/int64(time.Second)) {
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
