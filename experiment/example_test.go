package experiment_test

import (
	"context"
	"fmt"
	"time"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/scenarios"
)

// Ordered hands the results over in the order of i, whatever order the
// calls finish in (here the early ones take longest), with at most 3 calls
// started ahead of the results handed over.
func ExampleOrdered() {
	err := experiment.Ordered(context.Background(), 5, 4, 3,
		func(_ context.Context, i int) (int, error) {
			time.Sleep(time.Duration(5-i) * time.Millisecond)
			return i * i, nil
		},
		func(i, square int) error {
			fmt.Println(i, square)
			return nil
		})
	fmt.Println("error:", err)
	// Output:
	// 0 0
	// 1 1
	// 2 4
	// 3 9
	// 4 16
	// error: <nil>
}

// A plan made from a scenario's variants: the scenario carries the
// replications, weeks and seed (a command writes its flags there once),
// and Execute returns the runs job by job, replication by replication.
func ExampleFromScenarios() {
	s, err := scenarios.Load("hoorn")
	if err != nil {
		panic(err)
	}
	s.Replications, s.Ticks, s.Warmup = 2, 10, 0
	plan, err := experiment.FromScenarios([]*scenarios.Scenario{s}, []string{"baseline", "wijktafels"})
	if err != nil {
		panic(err)
	}
	out, err := experiment.Execute(context.Background(), plan)
	if err != nil {
		panic(err)
	}
	for _, r := range out.Runs {
		fmt.Printf("%s/%s rep %d: seed %d, %d weeks\n", r.Scenario, r.Variant, r.Rep, r.Seed, r.Result.Ticks)
	}
	// Output:
	// hoorn/baseline rep 0: seed 1, 10 weeks
	// hoorn/baseline rep 1: seed 1, 10 weeks
	// hoorn/wijktafels rep 0: seed 1, 10 weeks
	// hoorn/wijktafels rep 1: seed 1, 10 weeks
}
