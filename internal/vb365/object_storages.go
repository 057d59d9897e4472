package vb365

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
)

// objectStorageCache remembers the object storages (v6, v7:
// objectstoragerepositories) this client has read, so that the repository
// data sources of one walk read each at most once.
//
// What it remembers: the object storages by ID, and whether the whole list
// was read. Why: in v6 and v7 a repository names its object storage by ID
// only, and its type, immutability and space live there; a walk with a
// repository list and a few lookups by name would otherwise read the same
// object storage once per data source. It is per client (one provider
// process, one walk; nothing is shared between processes), and never expires
// within it: a change made out of band shows in the next walk, as for
// every data source.
//
// What it costs (resolve): repositories that name no object storage the
// cache lacks cost nothing; one missing object storage costs one GET by ID
// (exactly the object asked for, checked to be it); two or more cost the list
// (one request, a bare array), read once per walk, then a GET for each one the
// list left out (the v6 document does not say whether the list without
// longTerm holds the long-term tiers). So the floor of a v6/v7 repository list
// is two requests, whatever the number of object storages.
//
// What guards it: one request per key in flight (the list, or an ID);
// concurrent callers join it. A failure is not remembered: the next caller
// asks again. A caller whose context ends stops waiting; a flight that
// ended because its starter's context did is sent again by the next one
// that needs it, never taken as an answer. An object storage the server does
// not have (404) is a *NotFoundError (KindObjectStorage).
type objectStorageCache struct {
	mu      sync.Mutex
	byID    map[string]*ObjectStorage // lower-case ID
	listed  bool
	flights map[string]*storageFlight // "" for the list, else a lower-case ID
	// joining, when set (tests), is called, without oc.mu, each time a
	// caller joins a flight in progress.
	joining func()
}

type storageFlight struct {
	done chan struct{}
	err  error
	// abandoned: the starter's context ended; the answer is not one.
	abandoned bool
}

// resolve returns the object storages with these IDs (keys lower case).
func (oc *objectStorageCache) resolve(ctx context.Context, c *Client, ids []string) (map[string]*ObjectStorage, error) {
	if missing := oc.missing(ids); len(missing) > 1 {
		if err := oc.fly(ctx, "", func(ctx context.Context) error { return oc.list(ctx, c) }); err != nil {
			return nil, err
		}
	}
	for _, id := range oc.missing(ids) {
		if err := oc.fly(ctx, strings.ToLower(id), func(ctx context.Context) error { return oc.get(ctx, c, id) }); err != nil {
			return nil, err
		}
	}
	oc.mu.Lock()
	defer oc.mu.Unlock()
	out := make(map[string]*ObjectStorage, len(ids))
	for _, id := range ids {
		k := strings.ToLower(id)
		out[k] = oc.byID[k]
	}
	return out, nil
}

// missing returns the IDs the cache lacks, each once (as first spelled).
func (oc *objectStorageCache) missing(ids []string) []string {
	oc.mu.Lock()
	defer oc.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		k := strings.ToLower(id)
		if oc.byID[k] == nil && !seen[k] {
			seen[k] = true
			out = append(out, id)
		}
	}
	return out
}

// done reports whether key is answered: the list read, or the ID known.
// Callers hold oc.mu.
func (oc *objectStorageCache) done(key string) bool {
	if key == "" {
		return oc.listed
	}
	return oc.byID[key] != nil
}

// fly makes sure key is answered: by a flight in progress, or by fetch.
func (oc *objectStorageCache) fly(ctx context.Context, key string, fetch func(context.Context) error) error {
	for {
		oc.mu.Lock()
		if oc.done(key) {
			oc.mu.Unlock()
			return nil
		}
		if oc.flights == nil {
			oc.flights = map[string]*storageFlight{}
		}
		if f := oc.flights[key]; f != nil {
			oc.mu.Unlock()
			if oc.joining != nil {
				oc.joining()
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-f.done:
			}
			if f.err != nil && !f.abandoned {
				return f.err
			}
			continue
		}
		f := &storageFlight{done: make(chan struct{})}
		oc.flights[key] = f
		oc.mu.Unlock()

		err := fetch(ctx)
		oc.mu.Lock()
		delete(oc.flights, key)
		f.err, f.abandoned = err, err != nil && ctx.Err() != nil
		oc.mu.Unlock()
		close(f.done)
		return err
	}
}

func (oc *objectStorageCache) store(w *objectStorageWire) {
	if w.ID == "" {
		return
	}
	if oc.byID == nil {
		oc.byID = map[string]*ObjectStorage{}
	}
	oc.byID[strings.ToLower(w.ID)] = w.value()
}

// list reads every object storage (GET objectstoragerepositories, a bare
// array in v6 and v7).
func (oc *objectStorageCache) list(ctx context.Context, c *Client) error {
	var all []objectStorageWire
	if err := c.do(ctx, request{method: http.MethodGet, path: c.spec.objectStorages.path, wantStatus: c.spec.objectStorages.status, idempotent: true}, &all); err != nil {
		return err
	}
	oc.mu.Lock()
	defer oc.mu.Unlock()
	for i := range all {
		oc.store(&all[i])
	}
	oc.listed = true
	return nil
}

// get reads one object storage by ID.
func (oc *objectStorageCache) get(ctx context.Context, c *Client, id string) error {
	p := c.spec.objectStorages.path + "/" + escape(id)
	var w objectStorageWire
	if err := c.do(ctx, request{method: http.MethodGet, path: p, wantStatus: c.spec.objectStorages.status, idempotent: true}, &w); err != nil {
		if errors.Is(err, ErrNotFound) {
			return &NotFoundError{Kind: KindObjectStorage, Key: "id", Value: id, Scope: "(a backup repository names it as its objectStorageId)"}
		}
		return err
	}
	if err := c.checkID(p, "object storage", id, w.ID); err != nil {
		return err
	}
	oc.mu.Lock()
	defer oc.mu.Unlock()
	oc.store(&w)
	return nil
}
