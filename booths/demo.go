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

// demoFloors are the three conferences' floors by edition number. From
// the seed: Mianyang's key zone at the 3rd (its 481 achievements and 128
// demands were shown over both days) and the 2nd edition's online 云展厅,
// where Mianyang showed its 513 projects. Everything else (halls, zones of
// the other delegations, booth counts) is made up, growing each year. The
// 3rd edition also has an online cloud hall with a booth per delegation.
var demoFloors = map[int][]demoZone{
	1: {
		{conference.Mianyang, "绵阳科技城重点展区", "1号馆", "A", 10, false},
		{"成都市科协", "成都展区", "1号馆", "B", 8, false},
		{"德阳市科协", "德阳展区", "1号馆", "C", 6, false},
		{"遂宁市科协", "遂宁展区", "1号馆", "D", 6, false},
		{"南充市科协", "南充展区", "1号馆", "E", 6, false},
	},
	2: {
		{"成都市科协", "成都展区", "1号馆", "B", 10, false},
		{"德阳市科协", "德阳展区", "1号馆", "C", 8, false},
		{"遂宁市科协", "遂宁展区", "1号馆", "D", 6, false},
		{"南充市科协", "南充展区", "1号馆", "E", 6, false},
		{"重庆市北碚区科协", "北碚展区", "1号馆", "G", 8, false},
	},
	3: {
		{conference.Mianyang, "绵阳科技城重点展区", "1号馆", "A", 16, true},
		{"成都市科协", "成都展区", "1号馆", "B", 12, false},
		{"德阳市科协", "德阳展区", "1号馆", "C", 10, false},
		{"遂宁市科协", "遂宁展区", "1号馆", "D", 8, false},
		{"南充市科协", "南充展区", "1号馆", "E", 8, false},
		{"广元市科协", "广元展区", "2号馆", "F", 8, false},
		{"重庆市北碚区科协", "北碚展区", "2号馆", "G", 10, false},
		{"重庆市潼南区科协", "潼南展区", "2号馆", "H", 8, false},
		{"重庆市合川区科协", "合川展区", "2号馆", "J", 8, false},
		{"北京市科协", "北京展区", "2号馆", "L", 6, false},
		{"", "综合展区", "2号馆", "K", 12, false},
	},
}

// CloudHall is the online zone: at the 2nd edition Mianyang's alone (the
// seed's 线上“云展厅”), at the 3rd every delegation's. Zones keep their names
// from edition to edition so the summary compares them.
const CloudHall = "云展厅"

// SeedDemo lays out each demo edition's zones and booths (about 200 in
// two halls at the 3rd), most assigned, a few reserved or free, and the
// online zones; each assigned booth shows some of its delegation's
// projects.
func (s *Store) SeedDemo(ctx context.Context, demo conference.Demo) error {
	for _, e := range demo.Editions {
		dels := map[string]int64{}
		for _, d := range demo.Delegations[e.ID] {
			dels[d.Name] = d.ID
		}
		err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
			band := map[string]int{}
			for _, z := range demoFloors[e.Number] {
				if _, ok := dels[z.delegation]; z.delegation != "" && !ok {
					continue
				}
				if err := s.seedZone(ctx, tx, e, z, dels, band[z.hall]); err != nil {
					return err
				}
				band[z.hall]++
			}
			mianyang, ok := demo.DelegationNamed(e.ID, conference.Mianyang)
			switch {
			case e.Number == 2 && ok:
				return s.seedOnline(ctx, tx, e, CloudHall, []conference.Delegation{mianyang}, 4)
			case e.Number == 3:
				return s.seedOnline(ctx, tx, e, CloudHall, demo.Delegations[e.ID], 1)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("booths demo: %w", err)
		}
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

// seedOnline makes an online zone with n booths for each delegation
// (whose projects the zone then shows).
func (s *Store) seedOnline(ctx context.Context, tx *sqlx.Tx, e conference.Edition, name string, dels []conference.Delegation, n int) error {
	zoneID, err := s.demoZoneRow(ctx, tx, e.ID, ZoneInput{Name: name, Online: true})
	if err != nil {
		return fmt.Errorf("online zone %s: %w", name, err)
	}
	i := 0
	for _, d := range dels {
		for range n {
			id, err := s.insertBooth(ctx, tx, e.ID, BoothInput{ZoneID: zoneID, Code: fmt.Sprintf("Y%02d", i+1),
				X: float64(i%10) * 4, Y: float64(i/10) * 4, W: 3, H: 3})
			if err != nil {
				return err
			}
			if err := s.demoHold(ctx, tx, id, d.ID, StateAssigned); err != nil {
				return err
			}
			i++
		}
	}
	return nil
}
