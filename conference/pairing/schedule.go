package pairing

import (
	"sort"
	"time"
)

// Reasons a pairing was left out by the auto-scheduler.
const (
	UnplacedNotAccepted   = "not_accepted"   // a request the other side has not accepted
	UnplacedGridFull      = "grid_full"      // every table of every slot is taken
	UnplacedProjectBusy   = "project_busy"   // a project is busy whenever a table is free
	UnplacedPresenterBusy = "presenter_busy" // a presenter is busy whenever a table is free
)

// Placement is a meeting the scheduler found.
type Placement struct {
	PairingID int64     `json:"pairing_id"`
	Table     int       `json:"table"`
	StartsAt  time.Time `json:"starts_at"`
	slot      int
}

// Unplaced is a pairing the scheduler could not place, and why.
type Unplaced struct {
	PairingID int64  `json:"pairing_id"`
	Reason    string `json:"reason"`
}

// grid tracks what is taken in each slot of one session.
type grid struct {
	ss         Session
	tables     [][]bool // [slot][table-1]
	free       []int    // free tables per slot
	projects   []map[int64]bool
	presenters []map[string]bool
}

func newGrid(ss Session, busy []commitment) *grid {
	n := ss.Slots()
	g := &grid{ss: ss, tables: make([][]bool, n), free: make([]int, n),
		projects: make([]map[int64]bool, n), presenters: make([]map[string]bool, n)}
	for i := range n {
		g.tables[i] = make([]bool, ss.Tables)
		g.free[i] = ss.Tables
		g.projects[i], g.presenters[i] = map[int64]bool{}, map[string]bool{}
	}
	for _, c := range busy {
		for i := range n {
			if !c.overlaps(g.slotSpan(i)) {
				continue
			}
			if !c.roadshow && c.sessionID == ss.ID && c.table >= 1 && c.table <= ss.Tables && !g.tables[i][c.table-1] {
				g.tables[i][c.table-1] = true
				g.free[i]--
			}
			g.mark(i, c.projects, c.presenters)
		}
	}
	return g
}

func (g *grid) slotSpan(i int) (time.Time, time.Time) {
	return g.ss.SlotStart(i), g.ss.SlotStart(i + 1)
}

func (g *grid) mark(i int, projects [2]int64, presenters [2]string) {
	for _, p := range projects {
		if p != 0 {
			g.projects[i][p] = true
		}
	}
	for _, p := range presenters {
		if p != "" {
			g.presenters[i][p] = true
		}
	}
}

// place puts c in the earliest slot where a table is free and neither
// project nor presenter is busy, at the lowest free table.
func (g *grid) place(c candidate) (Placement, string) {
	reason := UnplacedGridFull
	for i := range g.free {
		if g.free[i] == 0 {
			continue
		}
		if sharesBusy(g.projects[i], c.projects()) {
			reason = UnplacedProjectBusy
			continue
		}
		if sharesBusyName(g.presenters[i], c.presenters()) {
			if reason == UnplacedGridFull {
				reason = UnplacedPresenterBusy
			}
			continue
		}
		t := 0
		for g.tables[i][t] {
			t++
		}
		g.tables[i][t] = true
		g.free[i]--
		g.mark(i, c.projects(), c.presenters())
		return Placement{PairingID: c.pairing.ID, Table: t + 1, StartsAt: g.ss.SlotStart(i), slot: i}, ""
	}
	return Placement{}, reason
}

func sharesBusy(busy map[int64]bool, ps [2]int64) bool { return busy[ps[0]] || busy[ps[1]] }

func sharesBusyName(busy map[string]bool, ps [2]string) bool {
	return (ps[0] != "" && busy[ps[0]]) || (ps[1] != "" && busy[ps[1]])
}

// schedule places as many of the pairings as fit into the session's grid,
// around what is busy already. The most constrained pairings go first:
// those whose projects appear in the most pairings, since they have the
// fewest slots left once their partners are placed. Greedy, not optimal,
// but every placement it makes is free of clashes.
func schedule(ss Session, pairings []Pairing, busy []commitment) ([]Placement, []Unplaced) {
	g := newGrid(ss, busy)
	degree := map[int64]int{}
	for _, p := range pairings {
		degree[p.DemandID]++
		degree[p.SupplyID]++
	}
	order := append([]Pairing(nil), pairings...)
	sort.SliceStable(order, func(i, j int) bool {
		di := degree[order[i].DemandID] + degree[order[i].SupplyID]
		dj := degree[order[j].DemandID] + degree[order[j].SupplyID]
		if di != dj {
			return di > dj
		}
		return order[i].ID < order[j].ID
	})
	var placed []Placement
	var unplaced []Unplaced
	for _, p := range order {
		if !p.Bookable() {
			unplaced = append(unplaced, Unplaced{PairingID: p.ID, Reason: UnplacedNotAccepted})
			continue
		}
		pl, reason := g.place(candidate{pairing: p})
		if reason != "" {
			unplaced = append(unplaced, Unplaced{PairingID: p.ID, Reason: reason})
			continue
		}
		placed = append(placed, pl)
	}
	return placed, unplaced
}
