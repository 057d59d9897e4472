package vb365

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// DefaultListLinger is how long a shared list (audit items, roles) that
// follows a write waits before it is sent, so that the writes that begin
// just after it was asked for, and return meanwhile, are covered by it and
// their read-backs share it. The write barrier (beginWrite) covers the
// writes already in flight when the list was asked for; the linger, those
// that begin during it. Against a server that answers in milliseconds it
// halves the lists of parallel creates (make bench-tf, two runs each: 100
// creates 32 and 32 lists with it, 60 and 70 without; 500 creates 211 and
// 204, 373 and 308); at 200 ms it buys nothing (500 creates: 74 and 79
// with it, 71 and 50 without; the floor is 50).
// TestListLingerCoversWritesThatBeginDuringIt shows the case.
const DefaultListLinger = 20 * time.Millisecond

// listCache shares one list per organization (GET AuditItems, GET
// .../RbacRoles) between the concurrent Read/Create/Update/Delete calls of
// one Terraform operation, so that N resources in one organization cost one
// list, not N. The zero value is ready to use; T is the listed item.
//
// Invariant: a caller accepts only lists sent after the last write that had
// returned when it called. Every write (beginWrite: the audit-item add and
// remove; the role create, update and delete) bumps the organization's
// generation when it returns, whether it succeeded or not;
// a request records the generation current when it is sent and answers only
// callers that found that generation or an older one. A caller that wrote
// finds at least its own write's generation, so a Create always sees its
// own item.
//
// Scope: per Client (one provider process, i.e. one Terraform walk; nothing
// is shared between processes or runs), per organization and generation: a
// cached answer is reused until this client's next write to that
// organization returns, however long the walk takes, so a refresh of N
// resources costs one list whatever N and however slow the server. A change
// made behind the client's back shows in the next walk (the next plan).
//
// Sharing: at most one GET per organization is in flight. A caller joins it
// when its generation allows; otherwise it joins the pending list, which is
// sent when the running one ends, with the generation of that moment, and
// answers everybody who joined it. The pending list is not sent while a
// write that began before it was created is still in flight (beginWrite):
// that writer needs a list sent after its write, and shares this one. A
// list that follows a recent write also lingers (DefaultListLinger) before
// it is sent, for the writers that begin just after.
//
// (A flight keyed by generation alone, as with singleflight, degenerates to
// one list per writer when N creates interleave, since every write bumps the
// generation before the next list starts: 47 parallel creates cost 47 lists.)
type listCache[T any] struct {
	// label names the list in messages ("audit items").
	label string

	mu   sync.Mutex
	orgs map[string]*orgState[T]

	// cond is signalled when a write ends (on mu; see condition).
	cond *sync.Cond

	// Tests set these. linger: 0 means DefaultListLinger, noLinger
	// sends at once. now and sleep are the clock (nil: the real one).
	// waiting is called, under mu, each time a list waits for writes;
	// joined, under mu, each time a caller joins a list (sent or not).
	linger  time.Duration
	now     func() time.Time
	sleep   func(time.Duration)
	waiting func()
	joined  func()
}

// noLinger, as listCache.linger, sends a list at once after a write.
const noLinger time.Duration = -1

type orgState[T any] struct {
	gen       uint64
	lastWrite time.Time
	writes    uint64              // writes begun (beginWrite)
	open      map[uint64]struct{} // those not returned yet
	cached    *cacheEntry[T]
	running   *flight[T] // sent
	pending   *flight[T] // not sent yet: anyone may join
}

type cacheEntry[T any] struct {
	gen   uint64
	items []T
}

type flight[T any] struct {
	gen uint64 // generation when the request was sent
	// after: the flight is sent once every write begun before it was
	// created (numbers up to after) has returned.
	after uint64
	ctx   context.Context
	done  chan struct{}
	items []T
	err   error
}

func cacheKey(orgID string) string { return strings.ToLower(orgID) }

func (a *listCache[T]) clock() time.Time {
	if a.now != nil {
		return a.now()
	}
	return time.Now()
}

func (a *listCache[T]) lingerFor() time.Duration {
	switch {
	case a.linger == noLinger:
		return 0
	case a.linger > 0:
		return a.linger
	}
	return DefaultListLinger
}

func (a *listCache[T]) pause(d time.Duration) {
	if a.sleep != nil {
		a.sleep(d)
		return
	}
	time.Sleep(d)
}

// org returns an organization's state. Callers hold a.mu.
func (a *listCache[T]) org(k string) *orgState[T] {
	if a.orgs == nil {
		a.orgs = map[string]*orgState[T]{}
	}
	st := a.orgs[k]
	if st == nil {
		st = &orgState[T]{}
		a.orgs[k] = st
	}
	return st
}

// condition returns cond, made on first use. Callers hold a.mu.
func (a *listCache[T]) condition() *sync.Cond {
	if a.cond == nil {
		a.cond = sync.NewCond(&a.mu)
	}
	return a.cond
}

// beginWrite records that a write to an organization has been sent; the
// function it returns records that it returned, whether it succeeded or
// not (a failed write may have half-happened): the organization's
// generation moves on and the cached list is dropped. It is the one way to
// record a write; call it before the request, and the function when the
// write is over (defer c.audit.beginWrite(orgID)()). A list
// that a caller asks for while writes are in flight waits for them: their
// writers will want a list sent after their write too, and so share this
// one instead of queueing the next. N parallel creates then share one list
// per round of Terraform's parallelism rather than one per few writers,
// without a timer. The wait is as long as those writes take, retries and
// throttled waits included (each is bounded by its timeouts).
func (a *listCache[T]) beginWrite(orgID string) (end func()) {
	a.mu.Lock()
	st := a.org(cacheKey(orgID))
	st.writes++
	n := st.writes
	if st.open == nil {
		st.open = map[uint64]struct{}{}
	}
	st.open[n] = struct{}{}
	a.mu.Unlock()
	return func() {
		a.mu.Lock()
		delete(st.open, n)
		st.gen++
		st.lastWrite = a.clock()
		st.cached = nil
		a.condition().Broadcast()
		a.mu.Unlock()
	}
}

// openBefore reports whether a write numbered up to n is in flight.
// Callers hold a.mu.
func (st *orgState[T]) openBefore(n uint64) bool {
	for w := range st.open {
		if w <= n {
			return true
		}
	}
	return false
}

func (a *listCache[T]) list(ctx context.Context, orgID string, fetch func(context.Context) ([]T, error)) ([]T, error) {
	k := cacheKey(orgID)
	a.mu.Lock()
	st := a.org(k)
	if e := st.cached; e != nil && e.gen == st.gen {
		a.mu.Unlock()
		return append([]T(nil), e.items...), nil
	}
	var f *flight[T]
	if st.running != nil && st.running.gen >= st.gen {
		f = st.running
	} else {
		if st.pending == nil {
			st.pending = &flight[T]{ctx: ctx, done: make(chan struct{}), after: st.writes}
			if st.running == nil {
				go a.send(st, fetch)
			}
		}
		f = st.pending
	}
	if a.joined != nil {
		a.joined()
	}
	a.mu.Unlock()

	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("listing the %s of organization %s: %w", a.label, orgID, ctx.Err())
	case <-f.done:
		if f.err != nil {
			return nil, f.err
		}
		return append([]T(nil), f.items...), nil
	}
}

// send sends the pending list, once the writes in flight when it was
// created have returned and after lingering when a write was recent, and
// then the next pending one, if any. The request must not fail for
// everybody when the caller that created it gives up, so it runs without
// that caller's cancellation (each caller waits on its own context; the
// HTTP timeout bounds the request).
func (a *listCache[T]) send(st *orgState[T], fetch func(context.Context) ([]T, error)) {
	for {
		a.mu.Lock()
		for st.openBefore(st.pending.after) {
			if a.waiting != nil {
				a.waiting()
			}
			a.condition().Wait()
		}
		wait := st.lastWrite.Add(a.lingerFor()).Sub(a.clock())
		a.mu.Unlock()
		if wait > 0 {
			a.pause(min(wait, a.lingerFor()))
		}

		a.mu.Lock()
		f := st.pending
		st.pending, st.running = nil, f
		f.gen = st.gen
		a.mu.Unlock()

		items, err := fetch(context.WithoutCancel(f.ctx))
		if err == nil && items == nil {
			items = []T{}
		}
		f.items, f.err, f.ctx = items, err, nil

		a.mu.Lock()
		if err == nil && st.gen == f.gen {
			st.cached = &cacheEntry[T]{gen: f.gen, items: items}
		}
		st.running = nil
		more := st.pending != nil
		a.mu.Unlock()
		close(f.done)
		if !more {
			return
		}
	}
}
