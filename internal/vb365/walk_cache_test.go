package vb365

import (
	"context"
	"errors"
	"testing"
)

// TestWalkCacheShared: callers of one key share one fetch; a caller that
// gives up does not fail the fetch for the others; keys ignore case; a
// failure is returned to its waiters and not kept.
func TestWalkCacheShared(t *testing.T) {
	var w walkCache[int]
	release := make(chan struct{})
	started := make(chan struct{})
	fetch := func(ctx context.Context) (int, error) {
		close(started)
		<-release
		return 42, ctx.Err()
	}
	gone, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, err := w.get(gone, "Org/G", fetch); first <- err }()
	<-started
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("the caller that gave up: %v", err)
	}
	second := make(chan int, 1)
	go func() {
		v, _ := w.get(context.Background(), "org/g", func(context.Context) (int, error) { t.Error("fetched twice"); return 0, nil })
		second <- v
	}()
	close(release)
	if v := <-second; v != 42 {
		t.Fatalf("second caller got %d", v)
	}
	if v, err := w.get(context.Background(), "ORG/G", nil); v != 42 || err != nil || w.fetches != 1 {
		t.Fatalf("remembered: %d, %v, %d fetches", v, err, w.fetches)
	}

	boom := errors.New("boom")
	if _, err := w.get(context.Background(), "other", func(context.Context) (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("failure: %v", err)
	}
	if v, err := w.get(context.Background(), "other", func(context.Context) (int, error) { return 7, nil }); v != 7 || err != nil || w.fetches != 3 {
		t.Fatalf("after a failure: %d, %v, %d fetches", v, err, w.fetches)
	}
}
