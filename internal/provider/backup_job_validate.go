package provider

// Plan-time checks of vb365_backup_job: what joins several attributes
// (ValidateConfig), what needs the API version (ModifyPlan), the daily
// time's form, and the comparison of a job read back with its plan. Each
// detail names the attribute, nested ones by their path.

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// dailyTimeValidator wants "HH:MM", 24 hours.
type dailyTimeValidator struct{}

func (dailyTimeValidator) Description(context.Context) string {
	return "must be a time of day written HH:MM (24 hours), e.g. 22:00"
}

func (v dailyTimeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (dailyTimeValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if t, err := vb365.NormalizeDailyTime(s); err != nil || t != s || len(s) != 5 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid daily time",
			fmt.Sprintf("schedule.daily_time is %q; write the time of day as HH:MM with 24 hours and two digits each, e.g. \"22:00\" or \"06:30\".", s))
	}
}

func known(v attr.Value) bool { return v != nil && !v.IsNull() && !v.IsUnknown() }

// set reports whether a configured value is written (unknown counts: it
// will be).
func set(v attr.Value) bool { return v != nil && !v.IsNull() }

// ValidateConfig checks what joins several attributes, naming them.
func (r *backupJobResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var backupType types.String
	var sel, exc types.Set
	var sched types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("backup_type"), &backupType)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("selected_items"), &sel)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("excluded_items"), &exc)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("schedule"), &sched)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checkItemSet(&resp.Diagnostics, "selected_items", sel)
	checkItemSet(&resp.Diagnostics, "excluded_items", exc)
	selSpecs, selUnknown := specsOf(sel)
	excSpecs, _ := specsOf(exc)
	switch {
	case !known(backupType) || selUnknown:
	case backupType.ValueString() == vb365.JobSelectedItems && len(selSpecs) == 0:
		resp.Diagnostics.AddAttributeError(path.Root("selected_items"), "Missing selected items",
			"backup_type = \"SelectedItems\" backs up the selected_items only: declare at least one, or use backup_type = \"EntireOrganization\".")
	case backupType.ValueString() == vb365.JobEntireOrganization && len(selSpecs) > 0:
		resp.Diagnostics.AddAttributeError(path.Root("selected_items"), "Selected items with EntireOrganization",
			"backup_type = \"EntireOrganization\" backs up everything of the organization; remove selected_items, or use backup_type = "+
				"\"SelectedItems\". To leave something out, use excluded_items; to back up some workloads of the whole organization, "+
				"use SelectedItems with a PartialOrganization item.")
	}
	for _, s := range selSpecs {
		for _, e := range excSpecs {
			if s.sameItem(e) {
				resp.Diagnostics.AddAttributeError(path.Root("excluded_items"), "Item both selected and excluded",
					fmt.Sprintf("%s is in selected_items and excluded_items; an item may be in one of them only.", s.key()))
			}
		}
	}
	checkSchedule(ctx, sched, &resp.Diagnostics)
}

// checkItemSet checks each known item of a set: the principal attribute
// of its type and no other, folders for OneDriveFolders only, the flags of
// its type only, and no item twice.
func checkItemSet(diags *diag.Diagnostics, list string, s types.Set) {
	if !known(s) {
		return
	}
	var seen []itemSpec
	for _, e := range s.Elements() {
		obj, ok := e.(types.Object)
		if !ok || !known(obj) {
			continue
		}
		a := obj.Attributes()
		typ, _ := a["type"].(types.String)
		if !known(typ) {
			continue
		}
		t := canonicalType(typ.ValueString())
		at := path.Root(list).AtSetValue(obj)
		bad := func(format string, args ...any) {
			diags.AddAttributeError(at, "Invalid "+strings.TrimSuffix(list, "s"), list+": "+fmt.Sprintf(format, args...))
		}
		for _, name := range itemIDAttrs {
			switch {
			case set(a[name]) && name != itemIDAttr[t]:
				if itemIDAttr[t] == "" {
					bad("a %s item names no user, group, site or team; remove %s.", t, name)
				} else {
					bad("a %s item is named by %s, not %s.", t, itemIDAttr[t], name)
				}
			case !set(a[name]) && name == itemIDAttr[t]:
				bad("a %s item needs %s.", t, name)
			}
		}
		folders, _ := a["folders"].(types.Set)
		switch {
		case set(folders) && t != vb365.ItemOneDriveFolders:
			bad("folders belong to a OneDriveFolders item, not a %s item.", t)
		case t == vb365.ItemOneDriveFolders && known(folders) && len(folders.Elements()) == 0 || t == vb365.ItemOneDriveFolders && !set(folders):
			bad("a OneDriveFolders item needs folders, at least one.")
		}
		allowed := flagAttrsOf(t)
		for _, f := range itemFlagAttrs {
			if !set(a[f.attr]) || containsString(allowed, f.attr) {
				continue
			}
			if len(allowed) == 0 {
				bad("%s does not apply to a %s item, which has no processing flags.", f.attr, t)
			} else {
				bad("%s does not apply to a %s item; its flags are %s.", f.attr, t, strings.Join(allowed, ", "))
			}
		}
		spec, ok := itemFromObject(obj)
		if !ok {
			continue
		}
		for _, other := range seen {
			if other.sameItem(spec) {
				bad("%s is in the set twice (with different flags); declare each item once.", spec.key())
			}
		}
		seen = append(seen, spec)
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// checkSchedule checks the fields of a schedule against its type, and the
// backup window's shape.
func checkSchedule(ctx context.Context, o types.Object, diags *diag.Diagnostics) {
	if !known(o) {
		return
	}
	var m scheduleModel
	if d := o.As(ctx, &m, objectAsOptions); d.HasError() {
		return
	}
	bad := func(attr, summary, detail string) { diags.AddAttributeError(pathSchedule(attr), summary, detail) }
	if known(m.Type) {
		t := m.Type.ValueString()
		for _, f := range []struct {
			name string
			v    attr.Value
			of   string
		}{{"daily_type", m.DailyType, vb365.ScheduleDaily}, {"daily_time", m.DailyTime, vb365.ScheduleDaily},
			{"periodically_every", m.PeriodicallyEvery, vb365.SchedulePeriodically}, {"periodically_offset_minutes", m.PeriodicallyOffsetMinutes, vb365.SchedulePeriodically}} {
			if set(f.v) && t != f.of {
				bad(f.name, "Schedule field of another type", fmt.Sprintf("schedule.%s applies to type = %q, and this schedule is %q: remove it.", f.name, f.of, t))
			}
		}
		switch {
		case t == vb365.ScheduleDaily && !set(m.DailyTime):
			bad("daily_time", "Missing daily time", "schedule.type = \"Daily\" needs daily_time, the time the job starts (HH:MM), e.g. \"22:00\".")
		case t == vb365.SchedulePeriodically && !set(m.PeriodicallyEvery):
			bad("periodically_every", "Missing interval", "schedule.type = \"Periodically\" needs periodically_every, e.g. \"Hours4\".")
		case t == vb365.SchedulePeriodically && set(m.PeriodicallyOffsetMinutes) && known(m.PeriodicallyEvery) && strings.HasPrefix(m.PeriodicallyEvery.ValueString(), "Minutes"):
			bad("periodically_offset_minutes", "Offset of a job that runs every few minutes",
				fmt.Sprintf("schedule.periodically_offset_minutes shifts runs within the hour, for jobs that run every hour or more; this one runs every %s: remove it.",
					strings.TrimPrefix(m.PeriodicallyEvery.ValueString(), "Minutes")+" minutes"))
		}
	}
	if !known(m.BackupWindow) {
		return
	}
	a := m.BackupWindow.Attributes()
	allowsHour, anyUnknown := false, false
	for _, d := range windowDays {
		l, _ := a[d].(types.List)
		if l.IsNull() {
			continue
		}
		ranges, ok := knownStrings(l)
		if !ok {
			anyUnknown = true
			continue
		}
		if problem := checkDayRanges(ranges); problem != "" {
			diags.AddAttributeError(pathSchedule("backup_window").AtName(d), "Invalid backup window", fmt.Sprintf("schedule.backup_window.%s: %s", d, problem))
			continue
		}
		allowsHour = true
	}
	if !allowsHour && !anyUnknown && !diags.HasError() {
		diags.AddAttributeError(pathSchedule("backup_window"), "Backup window without an hour",
			"schedule.backup_window allows no hour, so the job would never run: give at least one day its hours, or remove backup_window "+
				"(any hour), or set enabled = false to stop the job.")
	}
}

// knownStrings are a list's strings; ok is false when the list or one of
// them is not known yet.
func knownStrings(l types.List) (out []string, ok bool) {
	if l.IsUnknown() {
		return nil, false
	}
	for _, e := range l.Elements() {
		s, _ := e.(types.String)
		if !known(s) {
			return nil, false
		}
		out = append(out, s.ValueString())
	}
	return out, true
}

// ModifyPlan refuses what the API version lacks: Hours12 before v8, teams
// where a version has none in jobs.
func (r *backupJobResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	v := r.client.APIVersion()
	var every types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathSchedule("periodically_every"), &every)...)
	if known(every) && every.ValueString() == "Hours12" && !v.SupportsHours12() {
		resp.Diagnostics.AddAttributeError(pathSchedule("periodically_every"), "Every 12 hours needs REST API v8",
			fmt.Sprintf("schedule.periodically_every = \"Hours12\" is in VB365 REST API v8 only, and the provider speaks %s. Set api_version = \"v8\" "+
				"in the provider block, or run the job every 8 hours (\"Hours8\") or daily.", v))
	}
	if v.SupportsJobTeams() {
		return
	}
	for _, list := range []string{"selected_items", "excluded_items"} {
		var s types.Set
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(list), &s)...)
		specs, _ := specsOf(s)
		for _, spec := range specs {
			if spec.Type == vb365.ItemTeam {
				resp.Diagnostics.AddAttributeError(path.Root(list), "Teams in backup jobs need another REST API version",
					fmt.Sprintf("%s holds a Team item, and VB365 REST API %s has no teams in backup jobs. Select the team's Microsoft 365 group instead.", list, v))
				break
			}
		}
	}
}

// jobDiff says how a job read back differs from its plan ("" when it does
// not): the settings, what the plan knows of the schedule, and the items
// (with their flags and folders).
func jobDiff(ctx context.Context, plan, got backupJobModel, diags *diag.Diagnostics) string {
	var diffs []string
	str := func(name string, p, g types.String, fold bool) {
		if !known(p) {
			return
		}
		if pv, gv := p.ValueString(), g.ValueString(); pv != gv && (!fold || !strings.EqualFold(pv, gv)) {
			diffs = append(diffs, fmt.Sprintf("%s is %q, not %q", name, gv, pv))
		}
	}
	str("name", plan.Name, got.Name, false)
	str("description", plan.Description, got.Description, false)
	str("backup_type", plan.BackupType, got.BackupType, true)
	str("repository_id", plan.RepositoryID, got.RepositoryID, true)
	if known(plan.Enabled) && plan.Enabled.ValueBool() != got.Enabled.ValueBool() {
		diffs = append(diffs, fmt.Sprintf("enabled is %v", got.Enabled.ValueBool()))
	}
	if want := scheduleOf(ctx, plan.Schedule, diags); want != nil {
		have := scheduleOf(ctx, got.Schedule, diags)
		if have == nil {
			have = &vb365.JobSchedule{}
		}
		if d := scheduleDiffers(want, *have); d != "" {
			diffs = append(diffs, "the schedule differs: "+d)
		}
	}
	for _, l := range []struct {
		name      string
		plan, got types.Set
	}{{"selected_items", plan.SelectedItems, got.SelectedItems}, {"excluded_items", plan.ExcludedItems, got.ExcludedItems}} {
		want, _ := specsOf(l.plan)
		have, _ := specsOf(l.got)
		for _, w := range want {
			found := false
			for _, h := range have {
				if w.sameItem(h) {
					found = true
					if w.Flags != h.Flags || !sameFoldersFold(w.Folders, h.Folders) {
						diffs = append(diffs, fmt.Sprintf("%s: %s has other flags or folders", l.name, w.key()))
					}
				}
			}
			if !found {
				diffs = append(diffs, fmt.Sprintf("%s lacks %s", l.name, w.key()))
			}
		}
		if len(have) > len(want) {
			diffs = append(diffs, fmt.Sprintf("%s holds %d items, not %d", l.name, len(have), len(want)))
		}
	}
	return strings.Join(diffs, "; ")
}

func sameFoldersFold(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !containsFold(b, x) {
			return false
		}
	}
	return true
}
