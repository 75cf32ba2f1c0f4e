package roadshow

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/conference"
)

// demoSession is one session of a demo programme, in Beijing time on the
// edition's first (day 0) or second (day 1) day. Its slots are the
// selected projects of the named delegations that have no slot yet (or,
// for repeat, of those that have), in project order, pitch minutes each
// from start, with gap minutes between.
type demoSession struct {
	day                int
	from, to           string // "15:04"
	kind, title, room  string
	capacity           int
	start              string // first slot, "" for no slots
	pitch, gap         int
	delegations        []string
	repeat, limit, off int // repeat: place projects already on stage; limit: at most; off: skip the first
}

var sichuan = []string{"成都市科协", "德阳市科协", "遂宁市科协", "南充市科协", "广元市科协"}

// LaunchTitle is the 3rd edition's 涪江流域 launch on 18 January: the seed's
// 集中推介洽谈活动暨2024年涪江流域科技协同创新发展活动启动仪式, where 10 pairings
// were launched on stage and the associations signed 《涪江流域深化科技协同
// 创新发展合作协议》. Its slots are the launched pairings' supply projects
// (SeedLaunch, after the pairings exist).
const LaunchTitle = "集中推介洽谈活动暨2024年涪江流域科技协同创新发展活动启动仪式（签署《涪江流域深化科技协同创新发展合作协议》）"

// demoProgrammes are the three conferences' programmes by edition number.
// From the seed: the 3rd's opening ceremony with Mianyang's 20 releases,
// the new 京川渝科创交流会 and 海外重大科创项目专场推介会 (4 Mianyang projects),
// the 涪江流域 launch on 18 January, and that the 1st and 2nd editions
// released Mianyang projects at their opening ceremonies (5 and 11, from
// the seed's 36 over three editions) and the 2nd ran online. Times,
// rooms, capacities and the other sessions are made up.
var demoProgrammes = map[int][]demoSession{
	1: {
		{day: 0, from: "09:00", to: "11:00", kind: KindCeremony, title: "开幕式暨科创成果发布", room: "主会场", capacity: 500,
			start: "09:40", pitch: 8, gap: 2, delegations: []string{conference.Mianyang}},
		{day: 0, from: "14:00", to: "17:00", kind: KindRoadshow, title: "科技成果路演", room: "第一分会场", capacity: 150,
			start: "14:00", pitch: 10, gap: 2, delegations: sichuan},
		{day: 1, from: "09:00", to: "12:00", kind: KindPairing, title: "科技供需对接洽谈", room: "对接大厅", capacity: 200},
	},
	2: {
		{day: 0, from: "09:00", to: "11:30", kind: KindCeremony, title: "开幕式暨重大科创成果发布", room: "主会场", capacity: 600,
			start: "09:30", pitch: 8, gap: 2, delegations: []string{conference.Mianyang}},
		{day: 0, from: "14:00", to: "17:00", kind: KindRoadshow, title: "云展厅线上路演", room: "云展厅直播间", capacity: 100,
			start: "14:00", pitch: 10, gap: 2, delegations: append([]string{"重庆市北碚区科协"}, sichuan...)},
		{day: 1, from: "09:00", to: "12:00", kind: KindPairing, title: "线上线下科技供需对接洽谈", room: "对接大厅", capacity: 300},
	},
	3: {
		{day: 0, from: "09:00", to: "11:30", kind: KindCeremony, title: "开幕式暨重大科创成果发布", room: "主会场", capacity: 800,
			start: "09:30", pitch: 5, gap: 1, delegations: []string{conference.Mianyang}},
		{day: 0, from: "14:00", to: "17:30", kind: KindRoadshow, title: "四川省科技成果路演（第一分会场）", room: "第一分会场", capacity: 200,
			start: "14:00", pitch: 10, gap: 2, delegations: sichuan[:3]},
		{day: 0, from: "14:00", to: "17:30", kind: KindRoadshow, title: "四川省科技成果路演（第二分会场）", room: "第二分会场", capacity: 200,
			start: "14:00", pitch: 10, gap: 2, delegations: sichuan[3:]},
		{day: 0, from: "14:00", to: "16:30", kind: KindSpecial, title: "京川渝科创交流会", room: "国际厅", capacity: 150,
			start: "14:20", pitch: 15, gap: 5, delegations: []string{"北京市科协", "重庆市北碚区科协"}},
		{day: 0, from: "15:00", to: "17:00", kind: KindSpecial, title: LaunchTitle, room: "对接大厅", capacity: 300},
		{day: 1, from: "09:30", to: "11:30", kind: KindSpecial, title: "海外重大科创项目专场推介会", room: "国际厅", capacity: 150,
			start: "09:30", pitch: 25, gap: 5, delegations: []string{conference.Mianyang}, repeat: 1, limit: 4, off: 3},
		{day: 1, from: "09:00", to: "12:00", kind: KindRoadshow, title: "川渝科创项目路演", room: "第一分会场", capacity: 200,
			start: "09:00", pitch: 10, gap: 2, delegations: []string{"重庆市潼南区科协", "重庆市合川区科协", "重庆市北碚区科协"}},
		{day: 1, from: "09:00", to: "12:00", kind: KindPairing, title: "科技供需对接洽谈", room: "对接大厅", capacity: 300},
	},
}

// SeedDemo creates each demo edition's programme, places the selected
// projects in it and releases the agenda, except an edition with a launch
// session: SeedLaunch fills and releases that one once the pairings exist.
// Projects are another package's demo data: with none selected, the
// sessions are still made and released.
func (s *Store) SeedDemo(ctx context.Context, demo conference.Demo) error {
	for _, e := range demo.Editions {
		if err := s.seedProgramme(ctx, e, demo.Delegations[e.ID]); err != nil {
			return err
		}
		if hasLaunch(e.Number) {
			continue
		}
		if _, err := s.Publish(ctx, e.ID, nil); err != nil {
			return err
		}
	}
	return nil
}

func hasLaunch(number int) bool {
	for _, ds := range demoProgrammes[number] {
		if ds.title == LaunchTitle {
			return true
		}
	}
	return false
}

func (s *Store) seedProgramme(ctx context.Context, e conference.Edition, dels []conference.Delegation) error {
	first := e.StartsOn.In(China)
	rooms := map[int64]bool{}
	for _, ds := range demoProgrammes[e.Number] {
		se, err := s.CreateSession(ctx, e.ID, SessionInput{Title: ds.title, Kind: ds.kind, Room: ds.room,
			StartsAt: demoTime(first, ds.day, ds.from), EndsAt: demoTime(first, ds.day, ds.to)})
		if err != nil {
			return fmt.Errorf("demo session %s: %w", ds.title, err)
		}
		if capacity := ds.capacity; !rooms[se.RoomID] { // a room's first session says its size
			rooms[se.RoomID] = true
			if _, err := s.UpdateRoom(ctx, se.RoomID, RoomPatch{Capacity: &capacity}); err != nil {
				return fmt.Errorf("demo room of %s: %w", ds.title, err)
			}
		}
		if ds.start == "" {
			continue
		}
		ps, err := s.demoStage(ctx, e.ID, ds, dels)
		if err != nil {
			return err
		}
		if err := s.placeDemo(ctx, se, ps, demoTime(first, ds.day, ds.start), ds.pitch, ds.gap); err != nil {
			return err
		}
	}
	return nil
}

// demoStage lists the projects a demo session places.
func (s *Store) demoStage(ctx context.Context, editionID int64, ds demoSession, dels []conference.Delegation) ([]planProject, error) {
	var ids []int64
	for _, d := range dels {
		for _, name := range ds.delegations {
			if d.Name == name {
				ids = append(ids, d.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	limit := ds.limit
	if limit == 0 {
		limit = 1000
	}
	q, args, err := sqlx.In(`SELECT id, title,
		COALESCE(NULLIF(TRIM(contact_name), ''), NULLIF(TRIM(organisation), ''), title) AS presenter
		FROM projects p WHERE edition_id = ? AND delegation_id IN (?) AND status = 'selected'
		AND (SELECT COUNT(*) FROM slots s WHERE s.project_id = p.id) = ?
		ORDER BY id LIMIT ? OFFSET ?`, editionID, ids, ds.repeat, limit, ds.off)
	if err != nil {
		return nil, err
	}
	var ps []planProject
	if err := s.db.R.SelectContext(ctx, &ps, s.db.R.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("demo projects of %s: %w", ds.title, err)
	}
	return ps, nil
}

// placeDemo puts projects into a session one after another from at, as
// one accepted schedule (one transaction, the same checks as a slot).
func (s *Store) placeDemo(ctx context.Context, se Session, ps []planProject, at time.Time, pitch, gap int) error {
	var in AcceptInput
	for _, p := range ps {
		end := at.Add(time.Duration(pitch) * time.Minute)
		if end.After(se.EndsAt) {
			break
		}
		in.Slots = append(in.Slots, AcceptSlot{se.ID, SlotInput{ProjectID: p.ID, Presenter: p.Presenter, StartsAt: at, EndsAt: end}})
		at = end.Add(time.Duration(gap) * time.Minute)
	}
	if len(in.Slots) == 0 {
		return nil
	}
	if _, err := s.Accept(ctx, se.EditionID, in); err != nil {
		return fmt.Errorf("demo slots in %s: %w", se.Title, err)
	}
	return nil
}

// LaunchPitch is one pairing launched on stage at the 涪江流域 launch: its
// supply project, presented by the supplier.
type LaunchPitch struct {
	ProjectID int64
	Presenter string
}

// SeedLaunch puts the launched pairings into the launch session of the
// edition, 8 minutes each in their order, and releases the edition's
// agenda (its first release: SeedDemo held it back for this).
func (s *Store) SeedLaunch(ctx context.Context, editionID int64, pitches []LaunchPitch) error {
	ss, err := s.Sessions(ctx, editionID)
	if err != nil {
		return err
	}
	for _, se := range ss {
		if se.Title != LaunchTitle {
			continue
		}
		ps := make([]planProject, len(pitches))
		for i, p := range pitches {
			ps[i] = planProject{ID: p.ProjectID, Title: LaunchTitle, Presenter: p.Presenter}
		}
		if err := s.placeDemo(ctx, se, ps, se.StartsAt.Add(20*time.Minute), 8, 1); err != nil {
			return err
		}
	}
	_, err = s.Publish(ctx, editionID, nil)
	return err
}

func demoTime(day0 time.Time, day int, hhmm string) time.Time {
	t, _ := time.Parse("15:04", hhmm)
	return day0.AddDate(0, 0, day).Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
}

func acceptSlot(ps ProposedSlot) AcceptSlot {
	return AcceptSlot{ps.SessionID, SlotInput{ProjectID: ps.ProjectID, Presenter: ps.Presenter, StartsAt: ps.StartsAt, EndsAt: ps.EndsAt}}
}
