package vb365

import (
	"context"
	"strings"
	"sync"
)

// walkCache remembers, per key, one answer that nothing this client does
// can change (a group's members: the client never writes to a group), so
// that a Terraform walk reads it once however many data sources ask.
//
// What it remembers: each successful answer, for the life of the client
// (one provider process, one Terraform walk). A failure is not
// remembered: the callers waiting on that fetch get its error, and the next
// caller asks again. Nothing invalidates an entry, since the client makes
// no write that could; a change made elsewhere (in Microsoft Entra ID,
// synchronized into VB365) shows in the next walk, which has a new client.
//
// At most one fetch per key is in flight: concurrent callers wait for it,
// each on its own context. The fetch runs without the cancellation of the
// caller that started it, so one caller giving up does not fail the others
// (the HTTP timeout bounds it, as for listCache).
//
// Keys compare ignoring case (they hold IDs). The zero value is ready to
// use.
type walkCache[T any] struct {
	mu      sync.Mutex
	entries map[string]*walkEntry[T]
	// fetches counts the fetches started (tests).
	fetches int
}

type walkEntry[T any] struct {
	done chan struct{}
	v    T
	err  error
}

// get returns the answer for key, fetching it when no caller has yet.
func (w *walkCache[T]) get(ctx context.Context, key string, fetch func(context.Context) (T, error)) (T, error) {
	key = strings.ToLower(key)
	w.mu.Lock()
	if w.entries == nil {
		w.entries = map[string]*walkEntry[T]{}
	}
	e := w.entries[key]
	if e == nil {
		e = &walkEntry[T]{done: make(chan struct{})}
		w.entries[key] = e
		w.fetches++
		go func() {
			v, err := fetch(context.WithoutCancel(ctx))
			w.mu.Lock()
			e.v, e.err = v, err
			if err != nil {
				delete(w.entries, key)
			}
			w.mu.Unlock()
			close(e.done)
		}()
	}
	w.mu.Unlock()
	select {
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	case <-e.done:
		w.mu.Lock()
		defer w.mu.Unlock()
		return e.v, e.err
	}
}
