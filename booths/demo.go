package booths

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"huizhan/conference"
)

// demoZone is one zone of the demo floor: a band of back-to-back booth rows.
type demoZone struct {
	delegation string // "" for a zone of no delegation
	name, hall string
	letter     string
	cols       int
	key        bool
}

// The 3rd conference's floor: two halls of zones by delegation, Mianyang's
// the key zone (its 481 achievements and 128 demands were shown over both
// days), then the online cloud hall.
var demoZones = []demoZone{
	{conference.Mianyang, "绵阳科技城重点展区", "1号馆", "A", 16, true},
	{"成都市科协", "成都展区", "1号馆", "B", 12, false},
	{"德阳市科协", "德阳展区", "1号馆", "C", 10, false},
	{"遂宁市科协", "遂宁展区", "1号馆", "D", 8, false},
	{"南充市科协", "南充展区", "1号馆", "E", 8, false},
	{"广元市科协", "广元展区", "2号馆", "F", 8, false},
	{"重庆市北碚区科协", "北碚展区", "2号馆", "G", 10, false},
	{"重庆市潼南区科协", "潼南展区", "2号馆", "H", 8, false},
	{"重庆市合川区科协", "合川展区", "2号馆", "J", 8, false},
	{"", "综合展区", "2号馆", "K", 12, false},
}

// SeedDemo lays out the demo edition's zones and booths: about 200 booths
// in two halls, most assigned, a few reserved or free, and an online cloud
// hall; each assigned booth shows some of its delegation's projects.
func (s *Store) SeedDemo(ctx context.Context, demo conference.Demo) error {
	e := demo.Current()
	dels := map[string]int64{}
	for _, d := range demo.Delegations[e.ID] {
		dels[d.Name] = d.ID
	}
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		band := map[string]int{}
		for _, z := range demoZones {
			if err := s.seedZone(ctx, tx, e, z, dels, band[z.hall]); err != nil {
				return err
			}
			band[z.hall]++
		}
		return s.seedCloudHall(ctx, tx, e, demo.Delegations[e.ID])
	})
	if err != nil {
		return fmt.Errorf("booths demo: %w", err)
	}
	return nil
}

func (s *Store) demoZoneRow(ctx context.Context, tx *sqlx.Tx, editionID int64, in ZoneInput) (int64, error) {
	now := s.now().UTC()
	var id int64
	err := tx.GetContext(ctx, &id, `INSERT INTO zones
		(edition_id, name, hall, key_zone, online, delegation_id, opens_on, closes_on, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		editionID, in.Name, in.Hall, in.Key, in.Online, in.DelegationID, in.OpensOn, in.ClosesOn, now, now)
	return id, err
}

// seedZone lays two back-to-back rows of 3 m × 3 m booths, one band per
// zone with a 4 m aisle between bands. The delegation holds all but the
// last two booths: one reserved for it, one free.
func (s *Store) seedZone(ctx context.Context, tx *sqlx.Tx, e conference.Edition, z demoZone, dels map[string]int64, band int) error {
	in := ZoneInput{Name: z.name, Hall: z.hall, Key: z.key, OpensOn: e.StartsOn, ClosesOn: e.EndsOn}
	var holder int64
	if z.delegation != "" {
		holder = dels[z.delegation]
		in.DelegationID = &holder
	}
	zoneID, err := s.demoZoneRow(ctx, tx, e.ID, in)
	if err != nil {
		return fmt.Errorf("zone %s: %w", z.name, err)
	}
	g := GridInput{ZoneID: zoneID, Pattern: z.letter + "##", Rows: 2, Cols: z.cols,
		X: 4, Y: 4 + float64(band)*10, GapX: 0.5}
	if err := g.Validate(); err != nil {
		return err
	}
	general := []string{"成都市科协", "德阳市科协", "重庆市北碚区科协", conference.Mianyang}
	bs := g.Booths()
	for i, b := range bs {
		id, err := s.insertBooth(ctx, tx, e.ID, b)
		if err != nil {
			return err
		}
		del, state := holder, StateAssigned
		switch {
		case holder == 0 && i < 14: // the general zone: a mix of exhibitors
			del = dels[general[i%len(general)]]
		case holder == 0 || i == len(bs)-1:
			continue
		case i == len(bs)-2:
			state = StateReserved
		}
		if err := s.demoHold(ctx, tx, id, del, state); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) demoHold(ctx context.Context, tx *sqlx.Tx, boothID, delegationID int64, state string) error {
	_, err := tx.ExecContext(ctx, `UPDATE booths SET state = ?, delegation_id = ? WHERE id = ?`, state, delegationID, boothID)
	if err != nil {
		return fmt.Errorf("hold booth %d: %w", boothID, err)
	}
	if state != StateAssigned {
		return nil
	}
	// Show up to three of the delegation's projects not shown elsewhere yet.
	_, err = tx.ExecContext(ctx, `INSERT INTO booth_projects (booth_id, project_id)
		SELECT ?, p.id FROM projects p WHERE p.delegation_id = ? AND p.status <> 'rejected'
		AND NOT EXISTS (SELECT 1 FROM booth_projects bp WHERE bp.project_id = p.id)
		ORDER BY p.id LIMIT 3`, boothID, delegationID)
	if err != nil {
		return fmt.Errorf("show projects at booth %d: %w", boothID, err)
	}
	return nil
}

// seedCloudHall gives every delegation an online booth in the cloud hall.
func (s *Store) seedCloudHall(ctx context.Context, tx *sqlx.Tx, e conference.Edition, dels []conference.Delegation) error {
	zoneID, err := s.demoZoneRow(ctx, tx, e.ID, ZoneInput{Name: "云展厅", Online: true})
	if err != nil {
		return fmt.Errorf("cloud hall: %w", err)
	}
	for i, d := range dels {
		id, err := s.insertBooth(ctx, tx, e.ID, BoothInput{ZoneID: zoneID, Code: fmt.Sprintf("Y%02d", i+1),
			X: float64(i%10) * 4, Y: float64(i/10) * 4, W: 3, H: 3})
		if err != nil {
			return err
		}
		if err := s.demoHold(ctx, tx, id, d.ID, StateAssigned); err != nil {
			return err
		}
	}
	return nil
}
