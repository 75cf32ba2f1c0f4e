package conference

import (
	"context"
	"fmt"
	"time"

	"huizhan/internal/civil"
)

// Demo is what SeedDemo created, for the other packages' demo data.
type Demo struct {
	Editions    []Edition              // 1st, 2nd, 3rd
	Delegations map[int64][]Delegation // by edition ID
	// Sessions are the current edition's sessions by title, once the
	// programme's demo data has made them (for session checkpoints).
	Sessions map[string]int64
}

// Current is the newest demo edition (the 3rd).
func (d Demo) Current() Edition { return d.Editions[len(d.Editions)-1] }

// DelegationNamed returns the delegation of edition with the given name.
func (d Demo) DelegationNamed(edition int64, name string) (Delegation, bool) {
	for _, del := range d.Delegations[edition] {
		if del.Name == name {
			return del, true
		}
	}
	return Delegation{}, false
}

// Mianyang is the name of the delegation the demo follows most closely: the
// seed news page is about its part in the 3rd conference.
const Mianyang = "绵阳市科协"

type demoEdition struct {
	number      int
	name        string
	start, end  civil.Date
	delegations [][2]string // name, region
}

// The three Tianfu conferences. The 3rd's dates (18–19 January 2024,
// Chengdu) are from the seed news page; the earlier two are placed a year
// apart before it (made up). Delegations: the seed names Mianyang, the
// Fujiang river basin associations it worked with and Chongqing Beibei,
// and the 3rd edition's new 京川渝 exchange (hence Beijing); the others and
// who came to which edition are made up, more each year.
var demoEditions = []demoEdition{
	{1, "第一届天府科技云服务大会", civil.NewDate(2022, time.January, 20), civil.NewDate(2022, time.January, 21), [][2]string{
		{"绵阳市科协", "四川省绵阳市"}, {"成都市科协", "四川省成都市"}, {"德阳市科协", "四川省德阳市"},
		{"遂宁市科协", "四川省遂宁市"}, {"南充市科协", "四川省南充市"},
	}},
	{2, "第二届天府科技云服务大会", civil.NewDate(2023, time.January, 12), civil.NewDate(2023, time.January, 13), [][2]string{
		{"绵阳市科协", "四川省绵阳市"}, {"成都市科协", "四川省成都市"}, {"德阳市科协", "四川省德阳市"},
		{"遂宁市科协", "四川省遂宁市"}, {"南充市科协", "四川省南充市"}, {"重庆市北碚区科协", "重庆市北碚区"},
	}},
	{3, "第三届天府科技云服务大会", civil.NewDate(2024, time.January, 18), civil.NewDate(2024, time.January, 19), [][2]string{
		{"绵阳市科协", "四川省绵阳市"}, {"成都市科协", "四川省成都市"}, {"德阳市科协", "四川省德阳市"},
		{"遂宁市科协", "四川省遂宁市"}, {"南充市科协", "四川省南充市"}, {"广元市科协", "四川省广元市"},
		{"重庆市北碚区科协", "重庆市北碚区"}, {"重庆市潼南区科协", "重庆市潼南区"}, {"重庆市合川区科协", "重庆市合川区"},
		{"北京市科协", "北京市"},
	}},
}

// SeedDemo creates the three demo editions and their delegations. It is
// meant for an empty database; a second run fails on the unique edition
// numbers rather than adding duplicates.
func (s *Store) SeedDemo(ctx context.Context) (Demo, error) {
	demo := Demo{Delegations: map[int64][]Delegation{}}
	for _, de := range demoEditions {
		e, err := s.CreateEdition(ctx, EditionInput{Number: de.number, Name: de.name,
			Year: de.start.Year(), StartsOn: de.start, EndsOn: de.end, City: "成都"})
		if err != nil {
			return Demo{}, fmt.Errorf("demo edition %d: %w", de.number, err)
		}
		demo.Editions = append(demo.Editions, e)
		for _, nr := range de.delegations {
			d, err := s.CreateDelegation(ctx, e.ID, DelegationInput{Name: nr[0], Region: nr[1]})
			if err != nil {
				return Demo{}, fmt.Errorf("demo delegation %s: %w", nr[0], err)
			}
			demo.Delegations[e.ID] = append(demo.Delegations[e.ID], d)
		}
	}
	if err := s.seedDemoProjects(ctx, demo); err != nil {
		return Demo{}, fmt.Errorf("demo projects: %w", err)
	}
	return demo, nil
}

// Empty reports whether the database has no editions yet.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM editions`); err != nil {
		return false, fmt.Errorf("count editions: %w", err)
	}
	return n == 0, nil
}
