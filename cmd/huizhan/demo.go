package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"huizhan/checkin"
	"huizhan/conference"
	"huizhan/conference/roadshow"
	"huizhan/internal/auth"
	"huizhan/internal/web"
)

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo -db DB", stderr, "Load the demo data (three Tianfu conferences) into an empty database.")
	dbPath := dbFlag(fs)
	keys := fs.String("keys", env("KEYS", ""), "badge signing key file (HUIZHAN_KEYS); default badge-keys.json beside the database, or in the working directory for a postgres:// URL")
	scale := fs.String("scale", "conference", "conference: the three conferences; platform: also the city platform's 95,708 projects, for benchmarks")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *scale != "conference" && *scale != "platform" {
		return fmt.Errorf("demo: -scale is conference or platform, not %q", *scale)
	}
	d, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := newApp(d, slog.New(slog.NewTextHandler(stderr, nil)), appConfig{Keys: keysPath(*keys, *dbPath)})
	if err != nil {
		return err
	}
	defer a.checkin.Close()
	empty, err := a.conference.Empty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		return errors.New("demo: the database has editions already; the demo data goes into an empty database")
	}
	if err := loadDemo(ctx, a, stdout); err != nil || *scale != "platform" {
		return err
	}
	return loadPlatform(ctx, a, stdout, stderr)
}

// loadDemoIfEmpty loads the demo data unless the database holds editions.
func loadDemoIfEmpty(ctx context.Context, a *app, stdout io.Writer) error {
	empty, err := a.conference.Empty(ctx)
	if err != nil || !empty {
		return err
	}
	return loadDemo(ctx, a, stdout)
}

// seedLaunch puts the pairings launched on stage (the signing-ceremony
// list) into the 涪江流域 launch session, each presented by its supplier.
func seedLaunch(ctx context.Context, a *app, editionID int64) error {
	ps, err := a.pairing.Ceremony(ctx, editionID)
	if err != nil {
		return err
	}
	var pitches []roadshow.LaunchPitch
	for _, p := range ps {
		if p.CeremonyPosition != nil {
			pitches = append(pitches, roadshow.LaunchPitch{ProjectID: p.SupplyID, Presenter: p.Supply.Organisation})
		}
	}
	return a.roadshow.SeedLaunch(ctx, editionID, pitches)
}

// pastAttendees are the earlier editions' attendees by number (made up:
// fewer each year before the 3rd's).
var pastAttendees = map[int]int{1: 1200, 2: 2000}

// seedPastCheckins gives the earlier editions attendees and check-ins.
func seedPastCheckins(ctx context.Context, a *app, demo conference.Demo) error {
	for _, e := range demo.Editions[:len(demo.Editions)-1] {
		ss, err := a.roadshow.Sessions(ctx, e.ID)
		if err != nil {
			return err
		}
		sessions, ceremony := map[string]int64{}, ""
		for _, se := range ss {
			sessions[se.Title] = se.ID
			if se.Kind == roadshow.KindCeremony {
				ceremony = se.Title
			}
		}
		if err := a.checkin.SeedPastDemo(ctx, e, demo.Delegations[e.ID], pastAttendees[e.Number], sessions, ceremony); err != nil {
			return err
		}
	}
	return nil
}

// loadDemo creates the demo data, package by package, and one account per
// role, printing the passwords (HUIZHAN_DEMO_PASSWORD sets them all).
func loadDemo(ctx context.Context, a *app, stdout io.Writer) error {
	demo, err := a.conference.SeedDemo(ctx)
	if err != nil {
		return err
	}
	mianyang, ok := demo.DelegationNamed(demo.Current().ID, conference.Mianyang)
	if !ok {
		return errors.New("demo: no Mianyang delegation")
	}
	// Sessions and slots after the projects they place.
	if err := a.roadshow.SeedDemo(ctx, demo); err != nil {
		return err
	}
	ss, err := a.roadshow.Sessions(ctx, demo.Current().ID)
	if err != nil {
		return err
	}
	demo.Sessions = map[string]int64{}
	for _, se := range ss {
		demo.Sessions[se.Title] = se.ID
	}
	// Pairings after the projects they pair and the pairing session.
	if err := a.pairing.SeedDemo(ctx, demo); err != nil {
		return err
	}
	if err := seedLaunch(ctx, a, demo.Current().ID); err != nil {
		return err
	}
	if err := a.booths.SeedDemo(ctx, demo); err != nil {
		return err
	}
	// Check-in last: its booth checkpoints use the demo booths.
	if err := a.checkin.SeedDemo(ctx, demo); err != nil {
		return err
	}
	if err := seedPastCheckins(ctx, a, demo); err != nil {
		return err
	}
	// The demo's people and phone numbers are invented: the messages its
	// releases and meetings queued are withdrawn, never sent.
	if err := a.outbox.WithdrawQueued(ctx); err != nil {
		return err
	}
	accounts := []auth.NewUser{
		{Username: "organiser", Role: web.RoleOrganiser},
		{Username: "mianyang", Role: web.RoleDelegation, DelegationID: &mianyang.ID},
		{Username: "staff", Role: web.RoleStaff},
		{Username: "coordinator", Role: web.RoleCoordinator},
		{Username: "leader", Role: web.RoleLeader},
	}
	fmt.Fprintf(stdout, "Demo data loaded: %d editions. Demo accounts:\n", len(demo.Editions))
	for _, u := range accounts {
		u.Password = env("DEMO_PASSWORD", auth.RandomPassword())
		if _, err := a.auth.CreateUser(ctx, u); err != nil {
			return fmt.Errorf("demo account %s: %w", u.Username, err)
		}
		fmt.Fprintf(stdout, "  %-12s %-12s password: %s\n", u.Username, u.Role, u.Password)
	}
	cur := demo.Current().ID
	fmt.Fprintf(stdout, "To try a scan: open /editions/%d/badges?category=guest as organiser (or register at /editions/%d/register),\n"+
		"then sign in as staff on a phone, open /checkin/station, choose %s (a rehearsal: the demo's\n"+
		"days are past) and scan a badge, or type its code.\n", cur, cur, checkin.DemoRehearsalGate)
	return nil
}
