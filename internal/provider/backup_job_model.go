package provider

// The model of vb365_backup_job: the Terraform values of a job, its
// schedule and its items, and their conversions to and from the client's.
// An item is matched by its type and principal (ignoring case, and the
// composite form a server may list: SamePrincipalID), never by its own ID.

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

type backupJobModel struct {
	ID             types.String `tfsdk:"id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	RepositoryID   types.String `tfsdk:"repository_id"`
	Name           types.String `tfsdk:"name"`
	Description    types.String `tfsdk:"description"`
	Enabled        types.Bool   `tfsdk:"enabled"`
	BackupType     types.String `tfsdk:"backup_type"`
	Schedule       types.Object `tfsdk:"schedule"`
	SelectedItems  types.Set    `tfsdk:"selected_items"`
	ExcludedItems  types.Set    `tfsdk:"excluded_items"`
}

type scheduleModel struct {
	Type                      types.String `tfsdk:"type"`
	DailyType                 types.String `tfsdk:"daily_type"`
	DailyTime                 types.String `tfsdk:"daily_time"`
	PeriodicallyEvery         types.String `tfsdk:"periodically_every"`
	PeriodicallyOffsetMinutes types.Int64  `tfsdk:"periodically_offset_minutes"`
	RetryEnabled              types.Bool   `tfsdk:"retry_enabled"`
	RetryNumber               types.Int64  `tfsdk:"retry_number"`
	RetryWaitMinutes          types.Int64  `tfsdk:"retry_wait_minutes"`
	BackupWindow              types.Object `tfsdk:"backup_window"`
}

// windowAttrTypes, scheduleAttrTypes and itemAttrTypes are the object
// types of backup_window, schedule and an item.
var (
	windowAttrTypes = func() map[string]attr.Type {
		m := map[string]attr.Type{"minute_offset": types.Int64Type}
		for _, d := range windowDays {
			m[d] = types.ListType{ElemType: types.StringType}
		}
		return m
	}()
	scheduleAttrTypes = map[string]attr.Type{
		"type": types.StringType, "daily_type": types.StringType, "daily_time": types.StringType, "periodically_every": types.StringType,
		"periodically_offset_minutes": types.Int64Type, "retry_enabled": types.BoolType, "retry_number": types.Int64Type,
		"retry_wait_minutes": types.Int64Type, "backup_window": types.ObjectType{AttrTypes: windowAttrTypes},
	}
	itemAttrTypes = func() map[string]attr.Type {
		m := map[string]attr.Type{"type": types.StringType, "folders": types.SetType{ElemType: types.StringType}}
		for _, a := range itemIDAttrs {
			m[a] = types.StringType
		}
		for _, f := range itemFlagAttrs {
			m[f.attr] = types.BoolType
		}
		return m
	}()
	itemObjectType = types.ObjectType{AttrTypes: itemAttrTypes}
)

// itemIDAttr is the attribute that holds the principal of an item type;
// the organization-wide types have none.
var itemIDAttr = map[string]string{vb365.ItemUser: "user_id", vb365.ItemGroup: "group_id", vb365.ItemSite: "site_id", vb365.ItemTeam: "team_id"}

var itemIDAttrs = []string{"user_id", "group_id", "site_id", "team_id"}

// itemKinds is the client's object kind of an item type.
var itemKinds = map[string]vb365.Kind{vb365.ItemUser: vb365.KindUser, vb365.ItemGroup: vb365.KindGroup, vb365.ItemSite: vb365.KindSite, vb365.ItemTeam: vb365.KindTeam}

// itemFlagAttrs pairs each flag attribute with the wire's name.
var itemFlagAttrs = []struct{ attr, wire string }{
	{"mailbox", vb365.FlagMailbox}, {"archive_mailbox", vb365.FlagArchiveMailbox}, {"onedrive", vb365.FlagOneDrive},
	{"personal_site", vb365.FlagPersonalSite}, {"sites", vb365.FlagSites}, {"teams", vb365.FlagTeams}, {"teams_chats", vb365.FlagTeamsChats},
	{"members", vb365.FlagMembers}, {"member_mailbox", vb365.FlagMemberMailbox}, {"member_archive_mailbox", vb365.FlagMemberArchiveMailbox},
	{"member_onedrive", vb365.FlagMemberOneDrive}, {"member_site", vb365.FlagMemberSite}, {"group_site", vb365.FlagGroupSite},
}

// flagAttrsOf lists the flag attributes of an item type.
func flagAttrsOf(itemType string) []string {
	var out []string
	for _, f := range itemFlagAttrs {
		for _, w := range vb365.ItemFlags[itemType] {
			if w == f.wire {
				out = append(out, f.attr)
			}
		}
	}
	return out
}

// itemSpec is an item as configured (or in state): its type, principal,
// flags and folders. nullFlags holds the flag attributes that are null
// (not written: false).
type itemSpec struct {
	Type        string
	PrincipalID string
	Flags       vb365.JobItemFlags
	Folders     []string
	nullFlags   map[string]bool
	obj         types.Object
}

// key names an item for messages and matching: "User <id>", or the type.
func (s itemSpec) key() string {
	if s.PrincipalID == "" {
		return s.Type
	}
	return s.Type + " " + s.PrincipalID
}

// sameItem reports whether two specs name the same item (type, and the
// principal ignoring case).
func (s itemSpec) sameItem(o itemSpec) bool {
	return strings.EqualFold(s.Type, o.Type) && strings.EqualFold(s.PrincipalID, o.PrincipalID)
}

// entryRef is what fetching the principal of an item needs.
func (s itemSpec) entry(obj vb365.Object) vb365.JobItemEntry {
	return vb365.JobItemEntry{Type: s.Type, Object: obj, Flags: s.Flags, Folders: s.Folders}
}

// isItem reports whether a server item is the spec's.
func (s itemSpec) isItem(it vb365.JobItem) bool {
	return strings.EqualFold(it.Type, s.Type) && (s.PrincipalID == "" && it.PrincipalID == "" || s.PrincipalID != "" && vb365.SamePrincipalID(it.PrincipalID, s.PrincipalID))
}

// itemFromObject reads an item object; ok is false when something in it
// is unknown.
func itemFromObject(obj types.Object) (spec itemSpec, ok bool) {
	a := obj.Attributes()
	typ, _ := a["type"].(types.String)
	if typ.IsUnknown() || typ.IsNull() {
		return spec, false
	}
	spec = itemSpec{Type: canonicalType(typ.ValueString()), nullFlags: map[string]bool{}, obj: obj}
	for _, name := range itemIDAttrs {
		v, _ := a[name].(types.String)
		if v.IsUnknown() {
			return spec, false
		}
		if !v.IsNull() && name == itemIDAttr[spec.Type] {
			spec.PrincipalID = v.ValueString()
		}
	}
	for _, f := range itemFlagAttrs {
		v, _ := a[f.attr].(types.Bool)
		switch {
		case v.IsUnknown():
			return spec, false
		case v.IsNull():
			spec.nullFlags[f.attr] = true
		default:
			*spec.Flags.Flag(f.wire) = v.ValueBool()
		}
	}
	folders, _ := a["folders"].(types.Set)
	if folders.IsUnknown() {
		return spec, false
	}
	for _, e := range folders.Elements() {
		s, _ := e.(types.String)
		if s.IsUnknown() {
			return spec, false
		}
		spec.Folders = append(spec.Folders, s.ValueString())
	}
	return spec, true
}

// canonicalType spells an item type as the documents do.
func canonicalType(t string) string {
	for _, k := range vb365.JobItemTypes {
		if strings.EqualFold(k, t) {
			return k
		}
	}
	return t
}

// specsOf reads the known items of a set; unknown reports an element (or
// the set) not known yet.
func specsOf(s types.Set) (specs []itemSpec, unknown bool) {
	if s.IsUnknown() {
		return nil, true
	}
	for _, e := range s.Elements() {
		obj, ok := e.(types.Object)
		if !ok || obj.IsUnknown() {
			unknown = true
			continue
		}
		spec, ok := itemFromObject(obj)
		if !ok {
			unknown = true
			continue
		}
		specs = append(specs, spec)
	}
	return specs, unknown
}

// itemObject is a server item as state holds it: the flags of its type
// (false read as null where the prior element had null or there is no
// prior element: an unset flag is off), the principal ID in the prior's
// spelling, the folders.
func itemObject(it vb365.JobItem, prior *itemSpec) types.Object {
	a := map[string]attr.Value{"type": types.StringValue(it.Type), "folders": types.SetNull(types.StringType)}
	for _, name := range itemIDAttrs {
		a[name] = types.StringNull()
	}
	if name := itemIDAttr[it.Type]; name != "" {
		id := it.PrincipalID
		if prior != nil && vb365.SamePrincipalID(it.PrincipalID, prior.PrincipalID) {
			id = prior.PrincipalID
		}
		a[name] = types.StringValue(id)
	}
	for _, f := range itemFlagAttrs {
		a[f.attr] = types.BoolNull()
	}
	flags := it.Flags
	for _, name := range flagAttrsOf(it.Type) {
		v := *flags.Flag(wireOf(name))
		if !v && (prior == nil || prior.nullFlags[name]) {
			continue
		}
		a[name] = types.BoolValue(v)
	}
	if it.Type == vb365.ItemOneDriveFolders {
		folders := make([]string, 0, len(it.Folders))
		for _, f := range it.Folders {
			if prior != nil {
				for _, pf := range prior.Folders {
					if strings.EqualFold(pf, f) {
						f = pf
					}
				}
			}
			folders = append(folders, f)
		}
		a["folders"] = stringSet(folders)
	}
	return types.ObjectValueMust(itemAttrTypes, a)
}

func wireOf(flagAttr string) string {
	for _, f := range itemFlagAttrs {
		if f.attr == flagAttr {
			return f.wire
		}
	}
	return ""
}

// itemsFromServer builds a set of items from the server's list, each in the
// spelling and null flags of the prior element it matches. The set is null
// when the list is empty and prior was null.
func itemsFromServer(items []vb365.JobItem, prior types.Set) types.Set {
	priorSpecs, _ := specsOf(prior)
	if len(items) == 0 && prior.IsNull() {
		return types.SetNull(itemObjectType)
	}
	elems := make([]attr.Value, 0, len(items))
	for _, it := range items {
		var match *itemSpec
		for i := range priorSpecs {
			if priorSpecs[i].isItem(it) {
				match = &priorSpecs[i]
				break
			}
		}
		elems = append(elems, itemObject(it, match))
	}
	return types.SetValueMust(itemObjectType, elems)
}

// scheduleFromServer is the schedule as state holds it. The window's days
// without an allowed hour are null.
func scheduleFromServer(s vb365.JobSchedule, diags *diag.Diagnostics) types.Object {
	intOrNull := func(p *int) types.Int64 {
		if p == nil {
			return types.Int64Null()
		}
		return types.Int64Value(int64(*p))
	}
	window := types.ObjectNull(windowAttrTypes)
	if s.WindowEnabled {
		days, err := windowToDays(s.Window)
		if err != nil {
			diags.AddError("Unable to read backup job", "The job's backup window is not usable: "+err.Error())
			return types.ObjectNull(scheduleAttrTypes)
		}
		w := map[string]attr.Value{"minute_offset": intOrNull(s.WindowMinuteOffset)}
		if s.WindowMinuteOffset == nil {
			w["minute_offset"] = types.Int64Value(0)
		}
		for _, d := range windowDays {
			if len(days[d]) == 0 {
				w[d] = types.ListNull(types.StringType)
				continue
			}
			vals := make([]attr.Value, len(days[d]))
			for i, r := range days[d] {
				vals[i] = types.StringValue(r)
			}
			w[d] = types.ListValueMust(types.StringType, vals)
		}
		window = types.ObjectValueMust(windowAttrTypes, w)
	}
	retry := types.BoolNull()
	if s.RetryEnabled != nil {
		retry = types.BoolValue(*s.RetryEnabled)
	}
	return types.ObjectValueMust(scheduleAttrTypes, map[string]attr.Value{
		"type": optional(s.Type), "daily_type": optional(s.DailyType), "daily_time": optional(s.DailyTime),
		"periodically_every": optional(s.PeriodicallyEvery), "periodically_offset_minutes": intOrNull(s.PeriodicallyOffsetMinutes),
		"retry_enabled": retry, "retry_number": intOrNull(s.RetryNumber), "retry_wait_minutes": intOrNull(s.RetryWaitMinutes),
		"backup_window": window,
	})
}

// scheduleOf reads the schedule object of a plan into what the client
// sends; nil when the schedule is not known at all. Fields not known are
// not sent (the server keeps what it has).
func scheduleOf(ctx context.Context, o types.Object, diags *diag.Diagnostics) *vb365.JobSchedule {
	if o.IsNull() || o.IsUnknown() {
		return nil
	}
	var m scheduleModel
	diags.Append(o.As(ctx, &m, objectAsOptions)...)
	str := func(v types.String) string {
		if v.IsNull() || v.IsUnknown() {
			return ""
		}
		return v.ValueString()
	}
	num := func(v types.Int64) *int {
		if v.IsNull() || v.IsUnknown() {
			return nil
		}
		n := int(v.ValueInt64())
		return &n
	}
	s := &vb365.JobSchedule{Type: str(m.Type), DailyType: str(m.DailyType), DailyTime: str(m.DailyTime), PeriodicallyEvery: str(m.PeriodicallyEvery),
		PeriodicallyOffsetMinutes: num(m.PeriodicallyOffsetMinutes), RetryNumber: num(m.RetryNumber), RetryWaitMinutes: num(m.RetryWaitMinutes)}
	if !m.RetryEnabled.IsNull() && !m.RetryEnabled.IsUnknown() {
		b := m.RetryEnabled.ValueBool()
		s.RetryEnabled = &b
	}
	if m.BackupWindow.IsUnknown() || m.BackupWindow.IsNull() {
		return s
	}
	days, offset := windowDaysOf(m.BackupWindow)
	w, err := windowFromDays(days)
	if err != nil {
		diags.AddAttributeError(pathSchedule("backup_window"), "Invalid backup window", err.Error())
		return nil
	}
	s.WindowEnabled, s.Window, s.WindowMinuteOffset = true, w, offset
	return s
}

// windowDaysOf reads a backup_window object: the ranges per day, and the
// minute offset (nil when not known).
func windowDaysOf(o types.Object) (map[string][]string, *int) {
	days := map[string][]string{}
	a := o.Attributes()
	for _, d := range windowDays {
		l, _ := a[d].(types.List)
		for _, e := range l.Elements() {
			if s, ok := e.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
				days[d] = append(days[d], s.ValueString())
			}
		}
	}
	var offset *int
	if v, ok := a["minute_offset"].(types.Int64); ok && !v.IsNull() && !v.IsUnknown() {
		n := int(v.ValueInt64())
		offset = &n
	}
	return days, offset
}

// scheduleDiffers reports what of a planned schedule the server's does not
// have ("" when nothing): only the fields the plan knows count.
func scheduleDiffers(want *vb365.JobSchedule, have vb365.JobSchedule) string {
	if want == nil {
		return ""
	}
	var diffs []string
	cmp := func(name, w, h string) {
		if w != "" && !strings.EqualFold(w, h) {
			diffs = append(diffs, fmt.Sprintf("%s %q (the server has %q)", name, w, h))
		}
	}
	cmp("type", want.Type, have.Type)
	cmp("daily_type", want.DailyType, have.DailyType)
	cmp("daily_time", want.DailyTime, have.DailyTime)
	cmp("periodically_every", want.PeriodicallyEvery, have.PeriodicallyEvery)
	cmpInt := func(name string, w, h *int) {
		if w != nil && (h == nil || *w != *h) {
			diffs = append(diffs, fmt.Sprintf("%s %d", name, *w))
		}
	}
	cmpInt("periodically_offset_minutes", want.PeriodicallyOffsetMinutes, have.PeriodicallyOffsetMinutes)
	cmpInt("retry_number", want.RetryNumber, have.RetryNumber)
	cmpInt("retry_wait_minutes", want.RetryWaitMinutes, have.RetryWaitMinutes)
	if want.RetryEnabled != nil && (have.RetryEnabled == nil || *want.RetryEnabled != *have.RetryEnabled) {
		diffs = append(diffs, fmt.Sprintf("retry_enabled %v", *want.RetryEnabled))
	}
	switch {
	case want.WindowEnabled != have.WindowEnabled:
		diffs = append(diffs, fmt.Sprintf("backup window enabled %v", want.WindowEnabled))
	case want.WindowEnabled && !sameHours(want.Window, have.Window):
		diffs = append(diffs, "backup window hours")
	case want.WindowEnabled && want.WindowMinuteOffset != nil && (have.WindowMinuteOffset == nil && *want.WindowMinuteOffset != 0 ||
		have.WindowMinuteOffset != nil && *have.WindowMinuteOffset != *want.WindowMinuteOffset):
		diffs = append(diffs, fmt.Sprintf("backup_window.minute_offset %d", *want.WindowMinuteOffset))
	}
	return strings.Join(diffs, ", ")
}

func sameHours(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// itemPlan is what a list needs: the items to add, those whose flags or
// folders to change (the item as listed, with the spec it must match), and
// the IDs of those to remove.
type itemPlan struct {
	add    []itemSpec
	change []itemChange
	remove []string
	// removeKeys names the removed items (for messages).
	removeKeys []string
}

// planItems compares what the configuration wants with what the server
// lists.
func planItems(want []itemSpec, have []vb365.JobItem) itemPlan {
	var p itemPlan
	for _, w := range want {
		found := false
		for _, it := range have {
			if !w.isItem(it) {
				continue
			}
			found = true
			if !it.SameProcessing(w.Flags, w.Folders) {
				p.change = append(p.change, itemChange{item: it, spec: w})
			}
		}
		if !found {
			p.add = append(p.add, w)
		}
	}
	for _, it := range have {
		wanted := false
		for _, w := range want {
			if w.isItem(it) {
				wanted = true
			}
		}
		if !wanted {
			p.remove = append(p.remove, it.ID)
			p.removeKeys = append(p.removeKeys, it.Type+" "+firstNonEmpty(it.Name, it.PrincipalID))
		}
	}
	sort.Strings(p.removeKeys)
	return p
}

// itemChange is an item whose flags or folders differ from its spec.
type itemChange struct {
	item vb365.JobItem
	spec itemSpec
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
