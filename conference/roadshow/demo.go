package roadshow

import (
	"context"
	"fmt"
	"time"

	"huizhan/conference"
)

// demoSession is one session of the demo programme, in Beijing time on the
// edition's first (day 0) or second (day 1) day.
type demoSession struct {
	day                    int
	from, to               string // "15:04"
	kind, title, room      string
	capacity               int
	stageProjects          int // selected projects placed here by hand
	autoSchedule, pairings bool
}

// The 3rd conference's programme: the opening ceremony on the morning of
// 18 January, the provincial sessions and 京川渝科创交流会 that afternoon,
// the overseas special session (4 Mianyang projects) and the roadshows on
// the 19th.
var demoProgramme = []demoSession{
	{day: 0, from: "09:00", to: "11:30", kind: KindCeremony, title: "开幕式暨重大科创成果发布", room: "主会场", capacity: 800},
	{day: 0, from: "14:00", to: "17:30", kind: KindRoadshow, title: "四川省科技成果路演（第一分会场）", room: "第一分会场", capacity: 200, autoSchedule: true},
	{day: 0, from: "14:00", to: "17:30", kind: KindRoadshow, title: "四川省科技成果路演（第二分会场）", room: "第二分会场", capacity: 200, autoSchedule: true},
	{day: 0, from: "14:00", to: "16:30", kind: KindSpecial, title: "京川渝科创交流会", room: "国际厅", capacity: 150},
	{day: 1, from: "09:30", to: "11:30", kind: KindSpecial, title: "海外重大科创项目专场推介会", room: "国际厅", capacity: 150, stageProjects: 4},
	{day: 1, from: "09:00", to: "12:00", kind: KindRoadshow, title: "川渝科创项目路演", room: "第一分会场", capacity: 200, autoSchedule: true},
	{day: 1, from: "09:00", to: "12:00", kind: KindPairing, title: "科技供需对接洽谈", room: "对接大厅", capacity: 300},
}

// SeedDemo creates the 3rd edition's programme, places the selected
// projects it finds (4 in the overseas session, the rest by the
// auto-scheduler) and releases the agenda. Projects are another package's
// demo data: with none selected, the sessions are still made and released.
func (s *Store) SeedDemo(ctx context.Context, demo conference.Demo) error {
	e := demo.Current()
	first := e.StartsOn.In(China)
	var overseas Session
	var roadshows []int64
	for _, ds := range demoProgramme {
		se, err := s.CreateSession(ctx, e.ID, SessionInput{Title: ds.title, Kind: ds.kind, Room: ds.room,
			StartsAt: demoTime(first, ds.day, ds.from), EndsAt: demoTime(first, ds.day, ds.to)})
		if err != nil {
			return fmt.Errorf("demo session %s: %w", ds.title, err)
		}
		capacity := ds.capacity
		if _, err := s.UpdateRoom(ctx, se.RoomID, RoomPatch{Capacity: &capacity}); err != nil {
			return fmt.Errorf("demo room of %s: %w", ds.title, err)
		}
		if ds.stageProjects > 0 {
			overseas = se
		}
		if ds.autoSchedule {
			roadshows = append(roadshows, se.ID)
		}
	}
	if err := s.placeOverseas(ctx, e.ID, overseas, demo); err != nil {
		return err
	}
	p, err := s.Propose(ctx, e.ID, ScheduleInput{SessionIDs: roadshows, PitchMinutes: 10, ChangeoverMinutes: 2})
	if err != nil {
		return fmt.Errorf("demo schedule: %w", err)
	}
	if len(p.Slots) > 0 {
		var in AcceptInput
		for _, ps := range p.Slots {
			in.Slots = append(in.Slots, acceptSlot(ps))
		}
		if _, err := s.Accept(ctx, e.ID, in); err != nil {
			return fmt.Errorf("demo schedule: %w", err)
		}
	}
	_, err = s.Publish(ctx, e.ID, nil)
	return err
}

func demoTime(day0 time.Time, day int, hhmm string) time.Time {
	t, _ := time.Parse("15:04", hhmm)
	return day0.AddDate(0, 0, day).Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
}

// placeOverseas puts the first four selected Mianyang projects into the
// overseas special session, 25 minutes each with 5 between.
func (s *Store) placeOverseas(ctx context.Context, editionID int64, se Session, demo conference.Demo) error {
	mianyang, ok := demo.DelegationNamed(editionID, conference.Mianyang)
	if !ok {
		return nil
	}
	var ps []planProject
	err := s.db.R.SelectContext(ctx, &ps, `SELECT id, title,
		COALESCE(NULLIF(TRIM(contact_name), ''), NULLIF(TRIM(organisation), ''), title) AS presenter
		FROM projects WHERE edition_id = ? AND delegation_id = ? AND status = 'selected' ORDER BY id LIMIT 4`,
		editionID, mianyang.ID)
	if err != nil {
		return fmt.Errorf("demo overseas projects: %w", err)
	}
	at := se.StartsAt
	for _, p := range ps {
		_, err := s.CreateSlot(ctx, se.ID, SlotInput{ProjectID: p.ID, Presenter: p.Presenter,
			StartsAt: at, EndsAt: at.Add(25 * time.Minute)})
		if err != nil {
			return fmt.Errorf("demo overseas slot %s: %w", p.Title, err)
		}
		at = at.Add(30 * time.Minute)
	}
	return nil
}

func acceptSlot(ps ProposedSlot) AcceptSlot {
	return AcceptSlot{ps.SessionID, SlotInput{ProjectID: ps.ProjectID, Presenter: ps.Presenter, StartsAt: ps.StartsAt, EndsAt: ps.EndsAt}}
}
