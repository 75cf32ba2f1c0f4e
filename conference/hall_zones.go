package conference

import (
	"context"
	"net/url"
	"strconv"

	"huizhan/internal/apperr"
)

// HallZone is a zone (展区) as the cloud hall offers it for browsing.
type HallZone struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Hall   string `json:"hall"`
	Online bool   `json:"online"` // the cloud hall's own online zone
}

// ZoneDirectory tells which zones an edition has and which projects are
// in one. The booth package implements it; conference owns no booth
// tables, so the hall asks through this interface.
type ZoneDirectory interface {
	// HallZones lists the edition's zones, the online zone included.
	HallZones(ctx context.Context, editionID int64) ([]HallZone, error)
	// ProjectIDsInZone lists the projects shown at a booth of the zone or
	// whose delegation holds a booth there; a zone of another edition
	// is an Invalid zone_id.
	ProjectIDsInZone(ctx context.Context, editionID, zoneID int64) ([]int64, error)
}

// WithZones lets the hall filter by zone; without it zone_id is refused
// (there are no zones before booths exist).
func (h *ProjectHandlers) WithZones(z ZoneDirectory) *ProjectHandlers {
	h.zones = z
	return h
}

var errZoneUnknown = apperr.Field("zone_id", "zone.not_found", nil)

// parseZoneID reads the optional zone_id query parameter.
func parseZoneID(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 0 {
		return 0, apperr.Field("zone_id", "error.not_a_number", nil)
	}
	return id, nil
}

// applyZone turns f.ZoneID into the list of project IDs it allows.
func (h *ProjectHandlers) applyZone(ctx context.Context, editionID int64, f *ProjectFilter) error {
	if f.ZoneID == 0 {
		return nil
	}
	if h.zones == nil {
		return errZoneUnknown
	}
	ids, err := h.zones.ProjectIDsInZone(ctx, editionID, f.ZoneID)
	if err != nil {
		return err
	}
	if ids == nil {
		ids = []int64{} // an empty zone matches nothing, not everything
	}
	f.InIDs = ids
	return nil
}

// zoneChip is one link of the hall's zone chips.
type zoneChip struct {
	Name    string
	Href    string
	Online  bool
	Current bool
}

// fillZones loads the zones and the chip links: the current query with
// zone_id changed and the page reset.
func (h *ProjectHandlers) fillZones(ctx context.Context, editionID int64, u *url.URL, d *listData) error {
	if h.zones == nil {
		return nil
	}
	zs, err := h.zones.HallZones(ctx, editionID)
	if err != nil || len(zs) == 0 {
		return err
	}
	d.Zones = zs
	link := func(id int64) string {
		q := u.Query()
		q.Del("page")
		q.Del("zone_id")
		if id != 0 {
			q.Set("zone_id", strconv.FormatInt(id, 10))
		}
		if len(q) == 0 {
			return u.Path
		}
		return u.Path + "?" + q.Encode()
	}
	d.ZoneChips = []zoneChip{{Href: link(0), Current: d.Filter.ZoneID == 0}}
	for _, z := range zs {
		d.ZoneChips = append(d.ZoneChips, zoneChip{Name: z.Name, Href: link(z.ID), Online: z.Online, Current: z.ID == d.Filter.ZoneID})
	}
	return nil
}
