package booths

import (
	"context"
	"fmt"

	"huizhan/conference"
	"huizhan/internal/apperr"
)

// Store is the cloud hall's conference.ZoneDirectory: visitors browse an
// edition's projects by zone once booths exist.
var _ conference.ZoneDirectory = (*Store)(nil)

// HallZones lists the edition's zones for the hall, halls in order and
// the online zone last.
func (s *Store) HallZones(ctx context.Context, editionID int64) ([]conference.HallZone, error) {
	zs, err := s.Zones(ctx, editionID)
	if err != nil {
		return nil, err
	}
	out := make([]conference.HallZone, len(zs))
	for i, z := range zs {
		out[i] = conference.HallZone{ID: z.ID, Name: z.Name, Hall: z.Hall, Online: z.Online}
	}
	return out, nil
}

// zoneProjects are the projects shown at a booth of the zone, and those
// of a delegation holding (reserved or assigned) a booth there.
const zoneProjects = `SELECT bp.project_id FROM booth_projects bp
	JOIN booths b ON b.id = bp.booth_id WHERE b.zone_id = ?
	UNION
	SELECT p.id FROM projects p
	WHERE p.edition_id = ? AND p.delegation_id IN
		(SELECT b.delegation_id FROM booths b WHERE b.zone_id = ? AND b.delegation_id IS NOT NULL)
	ORDER BY 1`

// ProjectIDsInZone lists the IDs of the projects in a zone of the
// edition; a zone of another edition, or none, is an invalid zone_id.
func (s *Store) ProjectIDsInZone(ctx context.Context, editionID, zoneID int64) ([]int64, error) {
	var n int
	err := s.db.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM zones WHERE id = ? AND edition_id = ?`, zoneID, editionID)
	if err != nil {
		return nil, fmt.Errorf("find zone %d: %w", zoneID, err)
	}
	if n == 0 {
		return nil, apperr.Field("zone_id", "zone.not_found", nil)
	}
	ids := []int64{}
	if err := s.db.R.SelectContext(ctx, &ids, zoneProjects, zoneID, editionID, zoneID); err != nil {
		return nil, fmt.Errorf("list projects of zone %d: %w", zoneID, err)
	}
	return ids, nil
}
