package checkin

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/conference"
)

// demoAttendees is how many attendees the demo gives the newest edition.
const demoAttendees = 3000

var (
	demoSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程")
	demoGiven    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌鹏宇浩然欣怡晨")
	demoOrgs     = []string{"四川长虹电子控股集团", "中国工程物理研究院", "西南科技大学", "九洲电器集团", "东方电气集团",
		"成都电子科技大学", "四川大学", "重庆大学", "西南交通大学", "攀钢集团", "新希望集团", "通威股份",
		"四川日报", "华西都市报", "绵阳市科协", "成都高新区管委会", "天府新区科创中心", "科大讯飞四川分公司"}
	// categoryWeights: mostly enterprises and delegation members.
	demoCategories = []string{"enterprise", "enterprise", "enterprise", "enterprise", "delegation", "delegation",
		"delegation", "guest", "guest", "expert", "expert", "media", "staff"}
)

// DemoRehearsalGate is the demo's checkpoint in rehearsal at the main
// gate: the demo's editions lie in the past, so only a rehearsal takes
// their badges today.
const DemoRehearsalGate = "南门入口（演练）"

// SeedDemo gives the newest demo edition a few thousand attendees, gates
// for its days, session and booth checkpoints (the booths of the demo, when
// there are any) and scans spread over the days, in one transaction.
func (s *Store) SeedDemo(ctx context.Context, demo conference.Demo) error {
	e := demo.Current()
	r := rand.New(rand.NewPCG(3, uint64(e.Year)))
	err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
		people, err := s.demoPeople(ctx, tx, e, demo.Delegations[e.ID], demoAttendees, r)
		if err != nil {
			return err
		}
		points, err := demoCheckpoints(ctx, tx, e, demo.Sessions, s.now().UTC())
		if err != nil {
			return err
		}
		// Where a newcomer tries a scan; it has no scans of its own.
		if _, err := insertCheckpoint(ctx, tx, e.ID, CheckpointInput{Name: DemoRehearsalGate, Kind: "gate",
			Rule: "once_per_day", Rehearsal: true}, s.now().UTC()); err != nil {
			return err
		}
		return demoScans(ctx, tx, e, people, points, r)
	})
	if err != nil {
		return fmt.Errorf("check-in demo: %w", err)
	}
	return nil
}

func (s *Store) demoPeople(ctx context.Context, tx *sqlx.Tx, e conference.Edition, dels []conference.Delegation, n int, r *rand.Rand) ([]Brief, error) {
	ins, err := tx.PreparexContext(ctx, `INSERT INTO attendees (edition_id, name, organisation, phone, category,
		delegation_id, code, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'demo', ?, ?) RETURNING id`)
	if err != nil {
		return nil, err
	}
	defer ins.Close()
	upd, err := tx.PreparexContext(ctx, `UPDATE attendees SET code = ? WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	defer upd.Close()
	now := s.now().UTC()
	people := make([]Brief, 0, n)
	for i := range n {
		b := Brief{Category: demoCategories[r.IntN(len(demoCategories))],
			Name:         string([]rune{demoSurnames[r.IntN(len(demoSurnames))], demoGiven[r.IntN(len(demoGiven))], demoGiven[r.IntN(len(demoGiven))]}),
			Organisation: demoOrgs[r.IntN(len(demoOrgs))]}
		var del *int64
		if b.Category == "delegation" && len(dels) > 0 {
			d := dels[r.IntN(len(dels))]
			del, b.Organisation = &d.ID, d.Name
		}
		phone := fmt.Sprintf("139%08d", 20240000+i)
		if err := ins.GetContext(ctx, &b.ID, e.ID, b.Name, b.Organisation, phone, b.Category, del,
			fmt.Sprintf("demo-%d", i), now, now); err != nil {
			return nil, fmt.Errorf("demo attendee %d: %w", i, err)
		}
		code, err := s.keys.Sign(Claims{EditionID: e.ID, AttendeeID: b.ID, Category: b.Category, Days: daysMask(e), Nonce: r.Uint32()})
		if err != nil {
			return nil, err
		}
		if _, err := upd.ExecContext(ctx, code, b.ID); err != nil {
			return nil, fmt.Errorf("demo badge %d: %w", i, err)
		}
		people = append(people, b)
	}
	return people, nil
}

// demoPoint is a demo checkpoint with who goes there and when.
type demoPoint struct {
	Checkpoint
	share   float64 // of the attendees who come on a day
	day     int     // 0 = every day, else only that day (1-based)
	hour    int     // Beijing hour it starts being busy
	session string  // the title of the session it is the door of
}

// demoCheckpoints makes the gates, the doors of sessions (linked to the
// sessions titled in sessions, when the programme's demo made them) and
// booth checkpoints.
func demoCheckpoints(ctx context.Context, tx *sqlx.Tx, e conference.Edition, sessions map[string]int64, now time.Time) ([]demoPoint, error) {
	specs := []demoPoint{
		{Checkpoint{Name: "南门入口", Kind: "gate", Rule: "once_per_day"}, 0.6, 0, 8, ""},
		{Checkpoint{Name: "北门入口", Kind: "gate", Rule: "once_per_day"}, 0.4, 0, 8, ""},
		{Checkpoint{Name: "开幕式主会场", Kind: "session", Rule: "once",
			Categories: CategoryList{"guest", "expert", "delegation", "media", "staff"}}, 0.5, 1, 9, "开幕式暨重大科创成果发布"},
		{Checkpoint{Name: "京川渝科创交流会", Kind: "session", Rule: "once"}, 0.15, 1, 14, "京川渝科创交流会"},
		{Checkpoint{Name: "海外重大科创项目专场推介会", Kind: "session", Rule: "once"}, 0.12, 2, 10, "海外重大科创项目专场推介会"},
	}
	var booths []struct {
		ID   int64  `db:"id"`
		Code string `db:"code"`
	}
	if err := tx.SelectContext(ctx, &booths, `SELECT id, code FROM booths WHERE edition_id = ? ORDER BY code LIMIT 4`, e.ID); err != nil {
		return nil, fmt.Errorf("demo booths: %w", err)
	}
	for _, b := range booths {
		id := b.ID
		specs = append(specs, demoPoint{Checkpoint{Name: "展位 " + b.Code, Kind: "booth", Rule: "multiple", BoothID: &id}, 0.1, 0, 10, ""})
	}
	for i, p := range specs {
		var session *int64
		if id, ok := sessions[p.session]; ok {
			session = &id
		}
		c, err := insertCheckpoint(ctx, tx, e.ID, CheckpointInput{Name: p.Name, Kind: p.Kind, Rule: p.Rule,
			Categories: p.Categories, BoothID: p.BoothID, SessionID: session}, now)
		if err != nil {
			return nil, err
		}
		specs[i].Checkpoint = c
	}
	return specs, nil
}

// demoScans lets each attendee come on each day with some chance, pass one
// gate (sometimes twice: a duplicate), and visit sessions and booths; a few
// forged codes are thrown in.
func demoScans(ctx context.Context, tx *sqlx.Tx, e conference.Edition, people []Brief, points []demoPoint, r *rand.Rand) error {
	ins, err := tx.PreparexContext(ctx, `INSERT INTO scans (scan_id, checkpoint_id, edition_id, attendee_id, code,
		verdict, reason, first_id, device, server_at, scanned_at, day) VALUES (?, ?, ?, ?, '', ?, ?, ?, 'demo', ?, ?, ?) RETURNING id`)
	if err != nil {
		return err
	}
	defer ins.Close()
	n := 0
	add := func(p demoPoint, who *int64, at time.Time, verdict, reason string, first *int64) (int64, error) {
		n++
		var id int64
		err := ins.GetContext(ctx, &id, fmt.Sprintf("demo-%d-%d", e.Number, n), p.ID, e.ID, who, verdict, reason, first,
			at.UTC(), at.UTC(), at.In(china).Format(time.DateOnly))
		return id, err
	}
	for day := 1; day <= e.Days(); day++ {
		midnight := e.StartsOn.AddDays(day - 1).In(china)
		at := func(hour int) time.Time {
			return midnight.Add(time.Duration(hour)*time.Hour + time.Duration(r.IntN(150))*time.Minute)
		}
		come := []float64{0.85, 0.65, 0.5}[min(day-1, 2)]
		for i := range people {
			if r.Float64() > come {
				continue
			}
			who := &people[i].ID
			gate := points[0]
			if r.Float64() > points[0].share {
				gate = points[1]
			}
			first, err := add(gate, who, at(8), Accepted, "", nil)
			if err != nil {
				return fmt.Errorf("demo scan: %w", err)
			}
			if r.Float64() < 0.04 {
				if _, err := add(gate, who, at(12), Duplicate, "", &first); err != nil {
					return fmt.Errorf("demo scan: %w", err)
				}
			}
			for _, p := range points[2:] {
				if (p.day != 0 && p.day != day) || r.Float64() > p.share {
					continue
				}
				verdict, reason := Accepted, ""
				if !p.Categories.Allows(people[i].Category) {
					verdict, reason = Rejected, ReasonCategory
				}
				if _, err := add(p, who, at(p.hour), verdict, reason, nil); err != nil {
					return fmt.Errorf("demo scan: %w", err)
				}
			}
		}
		for range 20 {
			if _, err := add(points[0], nil, at(9), Rejected, ReasonForged, nil); err != nil {
				return fmt.Errorf("demo scan: %w", err)
			}
		}
	}
	return nil
}
