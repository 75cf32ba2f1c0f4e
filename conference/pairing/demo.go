package pairing

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"huizhan/conference"
	"huizhan/internal/civil"
	"huizhan/internal/web"
)

// demoUser records the demo's stage changes.
var demoUser = &web.Identity{Username: "demo", Role: web.RoleCoordinator}

// SeedDemo creates pairings over the projects the other demo data made:
// for the 3rd edition the 10 pairings launched on stage (涪江流域 10 个科技
// 供需对接项目, on the signing-ceremony list), more at every stage, a
// declined and a pending request, and meetings booked into the pairing
// session; for the 2nd edition 100+ effective pairings of which 6 signed
// cooperation-intent agreements. Pairs are the recommender's best, so the
// demo shows what it would suggest. With too few projects it makes what
// it can.
func (s *Store) SeedDemo(ctx context.Context, demo conference.Demo) error {
	if len(demo.Editions) >= 2 {
		if err := s.seedEdition(ctx, demo.Editions[len(demo.Editions)-2], secondPlan); err != nil {
			return err
		}
	}
	return s.seedEdition(ctx, demo.Current(), currentPlan)
}

// demoPlan says how many pairings to leave at each stage, in order;
// onStage of the agreements go on the signing-ceremony list.
type demoPlan struct {
	stages  []stageCount
	onStage int
	seed    uint64
}

type stageCount struct {
	stage string
	n     int
}

var currentPlan = demoPlan{onStage: 10, seed: 3, stages: []stageCount{
	{StageAgreement, 10}, {StageSigned, 2}, {StageIntent, 5}, {StageNegotiating, 6}, {StageMet, 8},
	{StageContacted, 6}, {StageProposed, 10}, {StageDropped, 2}}}

var secondPlan = demoPlan{seed: 2, stages: []stageCount{
	{StageAgreement, 6}, {StageIntent, 14}, {StageNegotiating, 30}, {StageMet, 55},
	{StageContacted, 10}, {StageProposed, 8}, {StageDropped, 5}}}

func (s *Store) seedEdition(ctx context.Context, e conference.Edition, plan demoPlan) error {
	total := 0
	for _, sc := range plan.stages {
		total += sc.n
	}
	pairs, err := s.demoPairs(ctx, e.ID, total+2)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(plan.seed, 7))
	day := e.StartsOn
	i := 0
	for _, sc := range plan.stages {
		for range sc.n {
			if i >= len(pairs) {
				return nil
			}
			p, err := s.Create(ctx, e.ID, pairs[i], demoUser)
			i++
			if err != nil {
				return fmt.Errorf("demo pairing: %w", err)
			}
			if err := s.walk(ctx, p, sc.stage, day, r); err != nil {
				return err
			}
			if sc.stage == StageAgreement && i <= plan.onStage {
				pos := i
				if _, err := s.SetCeremonyPosition(ctx, p.ID, &pos); err != nil {
					return err
				}
			}
		}
	}
	if err := s.seedRequests(ctx, e.ID, pairs[i:]); err != nil {
		return err
	}
	return s.seedMeetings(ctx, e.ID)
}

// walk moves a new pairing along the line to stage, one step at a time, as
// coordinators would have recorded it.
func (s *Store) walk(ctx context.Context, p Pairing, stage string, day civil.Date, r *rand.Rand) error {
	target := stage
	if stage == StageDropped {
		target = Line[1+r.IntN(3)]
	}
	for _, st := range Line[1 : rank(target)+1] {
		in := StageInput{Stage: st}
		if needsSigning(st) {
			amount := Wan(50 * (1 + r.IntN(40)) * 100)
			in.AmountWan, in.SignedOn = &amount, day
			in.Signatories = p.Demand.Organisation + "；" + p.Supply.Organisation
		}
		if _, err := s.SetStage(ctx, p.ID, in, demoUser); err != nil {
			return fmt.Errorf("demo stage %s: %w", st, err)
		}
	}
	if stage == StageDropped {
		if _, err := s.SetStage(ctx, p.ID, StageInput{Stage: StageDropped, Note: "需求方调整技术路线，暂缓合作"}, demoUser); err != nil {
			return fmt.Errorf("demo drop: %w", err)
		}
	}
	return nil
}

// seedRequests turns the last two pairs into delegation requests: one
// declined, one waiting.
func (s *Store) seedRequests(ctx context.Context, editionID int64, pairs []NewPairing) error {
	for i, np := range pairs {
		var del int64
		if err := s.db.R.GetContext(ctx, &del, `SELECT delegation_id FROM projects WHERE id = ?`, np.DemandID); err != nil {
			return fmt.Errorf("demo request: %w", err)
		}
		np.Message = "我方对该成果很感兴趣，希望在对接洽谈会上面谈。"
		p, err := s.Create(ctx, editionID, np, &web.Identity{Username: "demo", Role: web.RoleDelegation, DelegationID: del})
		if err != nil {
			return fmt.Errorf("demo request: %w", err)
		}
		if i == 0 {
			if _, err := s.Respond(ctx, p.ID, false, demoUser); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedMeetings books the open pairings into the edition's first pairing
// session, if there is one.
func (s *Store) seedMeetings(ctx context.Context, editionID int64) error {
	ss, err := s.Sessions(ctx, editionID)
	if err != nil || len(ss) == 0 {
		return err
	}
	_, err = s.AutoSchedule(ctx, ss[0].ID)
	return err
}

// demoPairs picks up to n distinct demand–supply pairs, best matches
// first: every demand's best counterpart, then every demand's second, and
// so on, so the pairs spread over the demands. Demands of the Mianyang
// delegation come first (the seed news is about its pairings).
func (s *Store) demoPairs(ctx context.Context, editionID int64, n int) ([]NewPairing, error) {
	ix, err := NewRecommender(s.db, s.log).build(ctx, editionID)
	if err != nil {
		return nil, err
	}
	var mianyang int64
	_ = s.db.R.GetContext(ctx, &mianyang, `SELECT id FROM delegations WHERE edition_id = ? AND name = ?`, editionID, conference.Mianyang)
	demands := slices.Clone(ix.Docs(false))
	slices.SortStableFunc(demands, func(a, b Doc) int {
		return boolRank(b.DelegationID == mianyang) - boolRank(a.DelegationID == mianyang)
	})
	hits := make([][]Hit, len(demands))
	for i, d := range demands {
		hits[i] = ix.Search(d.ID, 8)
	}
	var out []NewPairing
	for round := range 8 {
		for i, d := range demands {
			if round < len(hits[i]) && len(out) < n {
				out = append(out, NewPairing{DemandID: d.ID, SupplyID: hits[i][round].Doc.ID})
			}
		}
	}
	return out, nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
