package vb365test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxPageLimit is the server's largest page (documented maximum 10,000).
const maxPageLimit = 10000

// maxSets bounds how many setId snapshots the fake keeps.
const maxSets = 64

// pageSets keeps the result of a first page request under its setId, as the
// real server caches a request so later pages need no new call to the cloud.
type pageSets struct {
	order []string
	sets  map[string][]any
}

// paginate answers a page object: offset, limit, setId, results and _links
// (self, and next while more remain). all builds the complete filtered list
// when the request carries no known setId. v6 and v7 pages add totalCount;
// v8 pages do not. Callers hold s.mu.
func (c *call) paginate(basePath string, all func() []any) {
	limit := c.s.opts.DefaultPageLimit
	if v := c.query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The limit is invalid.")
			return
		}
		limit = n
	}
	if limit > maxPageLimit {
		limit = maxPageLimit
	}
	if limit == 0 {
		limit = c.s.opts.DefaultPageLimit
	}
	offset := 0
	if v := c.query("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The offset is invalid.")
			return
		}
		offset = n
	}
	sets := &c.s.sets
	if sets.sets == nil {
		sets.sets = map[string][]any{}
	}
	setID := c.query("setId")
	items, ok := sets.sets[strings.ToLower(setID)]
	if !ok {
		items = all()
		setID = GUID("set", c.s.nextID())
		sets.sets[setID] = items
		sets.order = append(sets.order, setID)
		if len(sets.order) > maxSets {
			delete(sets.sets, sets.order[0])
			sets.order = sets.order[1:]
		}
	}
	end := min(offset+limit, len(items))
	results := []any{}
	if offset < len(items) {
		results = items[offset:end]
	}
	self := url.Values{"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(limit)}}
	links := map[string]any{"self": c.link(basePath + "?" + self.Encode())}
	if end < len(items) {
		next := url.Values{"offset": {strconv.Itoa(end)}, "limit": {strconv.Itoa(limit)}, "setId": {setID}}
		links["next"] = c.link(basePath + "?" + next.Encode())
	}
	if offset > 0 {
		prev := url.Values{"offset": {strconv.Itoa(max(0, offset-limit))}, "limit": {strconv.Itoa(limit)}, "setId": {setID}}
		links["prev"] = c.link(basePath + "?" + prev.Encode())
		links["first"] = c.link(basePath + "?" + url.Values{"offset": {"0"}, "limit": {strconv.Itoa(limit)}, "setId": {setID}}.Encode())
	}
	body := map[string]any{
		"offset":  offset,
		"limit":   limit,
		"setId":   setID,
		"results": results,
		"_links":  links,
	}
	if c.version != "v8" {
		body["totalCount"] = len(items)
	}
	c.writeJSON(http.StatusOK, body)
}

// list answers a collection as the version does: a bare array in v6 and
// v7, a page object in v8 (paginate). Callers hold s.mu.
func (c *call) list(basePath string, all func() []any) {
	if c.version != "v8" {
		c.writeJSON(http.StatusOK, all())
		return
	}
	c.paginate(basePath, all)
}

// wildcard matches s against a pattern with * and ?, ignoring case.
func wildcard(pattern, s string) bool {
	p := []rune(strings.ToLower(pattern))
	t := []rune(strings.ToLower(s))
	var pi, ti, star, mark = 0, 0, -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
