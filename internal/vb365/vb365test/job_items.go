package vb365test

import (
	"fmt"
	"net/http"
	"strings"
)

// The items of a backup job: how the fake reads posted items (the nested
// object must name a user, group, site or team of the job's organization;
// a flag that is not of the item's type may not be true), answers them in
// the version's shape, and adds, removes and changes them.

// JobItem is one item of a job's list.
type JobItem struct {
	ID, Type string
	// PrincipalID is the nested user's, group's, site's or team's ID; ""
	// for the organization-wide types.
	PrincipalID string
	Object      map[string]any
	Flags       map[string]bool
	Folders     []string
}

// jobItemTypeIDs are the fixed type identifiers of the v8 document, the
// first part of an item's ID.
var jobItemTypeIDs = map[string]string{
	"User": "2b38d840-8098-4614-b369-ebce33f9b2c7", "Group": "9592732d-22d8-426a-8167-d9635158e945",
	"Site": "e1fa728c-4150-4724-ab3b-5deda33db0cf", "PartialOrganization": "c37da450-6c4b-48c4-87e2-cc557ef5d897",
	"PersonalSites": "9a01bcb3-d2de-4271-96bb-95611ddc70b3", "OneDriveFolders": "7f07820e-9e77-4beb-92a3-b31f30bc192c",
	"Team": "7B985334-BC0E-4791-B30C-D03A1FECC840",
}

// jobItemFlags are the processing options of each item type.
var jobItemFlags = map[string][]string{
	"User":                {"mailbox", "archiveMailbox", "oneDrive", "personalSite"},
	"Group":               {"mailbox", "groupSite", "members", "memberMailbox", "memberArchiveMailbox", "memberOnedrive", "memberSite"},
	"PartialOrganization": {"mailbox", "archiveMailbox", "oneDrive", "sites", "teams", "teamsChats"},
	"Team":                {"teamsChats"},
	"Site":                nil, "PersonalSites": nil, "OneDriveFolders": nil,
}

var allJobItemFlags = []string{"mailbox", "archiveMailbox", "oneDrive", "personalSite", "sites", "teams", "teamsChats",
	"members", "memberMailbox", "memberArchiveMailbox", "memberOnedrive", "memberSite", "groupSite"}

var jobItemTypes = []string{"Group", "User", "Site", "PartialOrganization", "PersonalSites", "OneDriveFolders", "Team"}

var jobItemNested = map[string]string{"User": "user", "Group": "group", "Site": "site", "Team": "team"}

func (c *call) listJobItems(j *Job, list string) {
	items := c.itemsJSON(j, *jobList(j, list))
	if c.version != "v8" {
		c.writeJSON(http.StatusOK, items)
		return
	}
	c.paginate("/Jobs/"+j.ID+"/"+list, func() []any { return items })
}

func (c *call) itemsJSON(j *Job, items []*JobItem) []any {
	out := []any{}
	for _, it := range items {
		out = append(out, c.itemJSON(j, it))
	}
	return out
}

// itemJSON is RESTJobItemComposed: the nested object as posted (its id in
// the composite form under Quirks.JobItemCompositePrincipalIDs), the flags
// of the item's type and, in v6, chats beside teamsChats.
func (c *call) itemJSON(j *Job, it *JobItem) map[string]any {
	m := map[string]any{"id": it.ID, "type": it.Type, "_links": map[string]any{}}
	if key := jobItemNested[it.Type]; key != "" {
		obj := it.Object
		if c.s.opts.Quirks.JobItemCompositePrincipalIDs && (key == "user" || key == "group") {
			obj = make(map[string]any, len(it.Object))
			for k, v := range it.Object {
				obj[k] = v
			}
			obj["id"] = j.OrganizationID + ":1:" + key + ":" + it.PrincipalID
		}
		m[key] = obj
	}
	for _, f := range jobItemFlags[it.Type] {
		m[f] = it.Flags[f]
	}
	if c.version == "v6" && it.Type == "Team" {
		m["chats"] = it.Flags["teamsChats"]
	}
	if it.Type == "OneDriveFolders" {
		m["folders"] = it.Folders
	}
	return m
}

// jobList is a job's list by name. Callers hold s.mu.
func jobList(j *Job, list string) *[]*JobItem {
	if strings.EqualFold(list, "ExcludedItems") {
		return &j.Excluded
	}
	return &j.Selected
}

func oneOf(v string, allowed []string) (string, bool) {
	for _, a := range allowed {
		if strings.EqualFold(a, v) {
			return a, true
		}
	}
	return v, false
}

// jobItems reads posted items of a job of org. Callers hold s.mu.
func (s *Server) jobItems(org *Organization, in []map[string]any) ([]*JobItem, string) {
	var out []*JobItem
	for i, item := range in {
		raw, _ := item["type"].(string)
		typ, ok := oneOf(raw, jobItemTypes)
		if !ok {
			return nil, fmt.Sprintf("Item %d: the type '%s' is not valid.", i, raw)
		}
		it := &JobItem{Type: typ, Flags: map[string]bool{}}
		if key := jobItemNested[typ]; key != "" {
			obj, _ := item[key].(map[string]any)
			id, _ := obj["id"].(string)
			if obj == nil || id == "" {
				return nil, fmt.Sprintf("Item %d: the %s object with its id is required.", i, key)
			}
			if !org.hasPrincipal(typ, id) {
				return nil, fmt.Sprintf("Item %d: %s %s was not found in organization %s.", i, key, id, org.Name)
			}
			it.PrincipalID, it.Object = org.principalID(typ, id), obj
		}
		allowed := jobItemFlags[typ]
		for _, f := range allowed {
			if v, ok := item[f].(bool); ok {
				it.Flags[f] = v
			}
		}
		for _, f := range allFlagsOf(item) {
			if v, _ := item[f].(bool); v && !contains(allowed, f) {
				return nil, fmt.Sprintf("Item %d: the %s option does not apply to a %s item.", i, f, typ)
			}
		}
		if typ == "OneDriveFolders" {
			fs, _ := item["folders"].([]any)
			for _, f := range fs {
				if str, ok := f.(string); ok && str != "" {
					it.Folders = append(it.Folders, str)
				}
			}
			if len(it.Folders) == 0 {
				return nil, fmt.Sprintf("Item %d: a OneDriveFolders item needs folders.", i)
			}
		}
		object := it.PrincipalID
		if object == "" {
			object = org.ID
		}
		it.ID = jobItemTypeIDs[typ] + object
		out = append(out, it)
	}
	return out, ""
}

func allFlagsOf(item map[string]any) []string {
	var out []string
	for _, f := range allJobItemFlags {
		if _, ok := item[f]; ok {
			out = append(out, f)
		}
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// hasPrincipal reports whether the organization has the user, group, site
// or team. Callers hold s.mu.
func (o *Organization) hasPrincipal(typ, id string) bool { return o.principalID(typ, id) != "" }

// principalID is the stored ID of the principal id names (IDs compare
// ignoring case), or "".
func (o *Organization) principalID(typ, id string) string {
	switch typ {
	case "User":
		for _, u := range o.Users {
			if strings.EqualFold(u.ID, id) {
				return u.ID
			}
		}
	case "Group":
		for _, g := range o.Groups {
			if strings.EqualFold(g.ID, id) {
				return g.ID
			}
		}
	case "Site":
		for _, st := range o.Sites {
			if strings.EqualFold(st.ID, id) {
				return st.ID
			}
		}
	case "Team":
		for _, t := range o.Teams {
			if strings.EqualFold(t.ID, id) {
				return t.ID
			}
		}
	}
	return ""
}

func itemKey(it *JobItem) string { return strings.ToLower(it.Type + "/" + it.PrincipalID) }

func (c *call) addJobItems(j *Job, list string) {
	var in []map[string]any
	if !c.decode(&in) {
		return
	}
	s := c.s
	add, problem := s.jobItems(s.org(j.OrganizationID), in)
	next := *j
	dst := jobList(&next, list)
	*dst = append(append([]*JobItem{}, *dst...), add...)
	if problem == "" {
		problem = s.checkJob(&next, c.version)
	}
	if problem != "" {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
		return
	}
	*j = next
	s.noteJob(j)
	c.noContent(http.StatusNoContent)
}

// DELETE .../SelectedItems|ExcludedItems?ids=: unknown IDs are ignored;
// v8's SelectedItems DELETE also takes the IDs as a JSON array body.
func (c *call) removeJobItems(j *Job, list string) {
	ids := map[string]bool{}
	for _, id := range strings.Split(c.query("ids"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids[strings.ToLower(id)] = true
		}
	}
	if len(ids) == 0 && c.version == "v8" && strings.EqualFold(list, "SelectedItems") && c.r.ContentLength != 0 {
		var body []string
		if !c.decode(&body) {
			return
		}
		for _, id := range body {
			ids[strings.ToLower(id)] = true
		}
	}
	if len(ids) == 0 {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The ids parameter is required.")
		return
	}
	next := *j
	dst := jobList(&next, list)
	kept := (*dst)[:0:0]
	for _, it := range *dst {
		if !ids[strings.ToLower(it.ID)] {
			kept = append(kept, it)
		}
	}
	*dst = kept
	if problem := c.s.checkJob(&next, c.version); problem != "" {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
		return
	}
	*j = next
	c.s.noteJob(j)
	c.noContent(http.StatusNoContent)
}

// PUT .../{itemId}: the item's flags and folders; its type and principal
// must stay.
func (c *call) updateJobItem(j *Job, list string) {
	var in map[string]any
	if !c.decode(&in) {
		return
	}
	items := jobList(j, list)
	for i, it := range *items {
		if !strings.EqualFold(it.ID, c.params[1]) {
			continue
		}
		got, problem := c.s.jobItems(c.s.org(j.OrganizationID), []map[string]any{in})
		if problem == "" && itemKey(got[0]) != itemKey(it) {
			problem = "The item's type and object cannot change."
		}
		if problem != "" {
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
			return
		}
		got[0].ID, got[0].Object = it.ID, it.Object
		(*items)[i] = got[0]
		c.s.noteJob(j)
		c.noContent(http.StatusNoContent)
		return
	}
	c.errorf(http.StatusNotFound, "ResourceNotFound", "Item with ID %s was not found.", c.params[1])
}
