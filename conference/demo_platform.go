package conference

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jmoiron/sqlx"

	"huizhan/internal/civil"
)

// PlatformEdition is the number of the edition that holds the city
// platform's data (huizhan demo -scale platform): not a conference, but
// the 天府科技云 platform's records for Mianyang, which the conference
// draws on and which the data layer must carry.
const PlatformEdition = 100

// platformBatches are the platform's figures for Mianyang from the seed
// news page: 65,000 demands, 29,000 capabilities, 1,421 achievements and
// 287 research projects.
var platformBatches = []struct {
	kind string
	n    int
}{
	{KindDemand, 65000},
	{KindCapability, 29000},
	{KindAchievement, 1421},
	{KindResearch, 287},
}

// PlatformSize is the number of projects SeedPlatform makes.
func PlatformSize() int {
	n := 0
	for _, b := range platformBatches {
		n += b.n
	}
	return n
}

// SeedPlatform creates the platform edition with Mianyang's delegation and
// fills it with generated projects, 5,000 to a transaction, calling
// progress (if not nil) after each.
func (s *Store) SeedPlatform(ctx context.Context, progress func(done, total int)) (Edition, error) {
	e, err := s.CreateEdition(ctx, EditionInput{Number: PlatformEdition, Name: "天府科技云平台 · 绵阳数据",
		Year: 2024, StartsOn: civil.NewDate(2024, time.January, 1), EndsOn: civil.NewDate(2024, time.January, 1), City: "绵阳"})
	if err != nil {
		return Edition{}, fmt.Errorf("platform edition: %w", err)
	}
	d, err := s.CreateDelegation(ctx, e.ID, DelegationInput{Name: Mianyang, Region: "四川省绵阳市"})
	if err != nil {
		return Edition{}, fmt.Errorf("platform delegation: %w", err)
	}
	r := rand.New(rand.NewPCG(65000, 29000))
	total, done := PlatformSize(), 0
	const chunk = 5000
	for _, b := range platformBatches {
		for left := b.n; left > 0; left -= chunk {
			n := min(chunk, left)
			err := s.db.Tx(ctx, func(tx *sqlx.Tx) error {
				ins, err := newBulkInserter(ctx, tx, s.now().UTC())
				if err != nil {
					return err
				}
				defer ins.close()
				return s.search.Bulk(ctx, tx, func() error {
					for range n {
						in := demoProject(r, b.kind, "绵阳", true)
						in.DelegationID = d.ID
						if err := ins.add(ctx, e.ID, in, StatusReviewed, ""); err != nil {
							return err
						}
					}
					return nil
				})
			})
			if err != nil {
				return Edition{}, fmt.Errorf("platform projects: %w", err)
			}
			done += n
			if progress != nil {
				progress(done, total)
			}
		}
	}
	return e, nil
}
