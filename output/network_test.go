package output

import (
	"bytes"
	"context"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/scenarios"
)

// TestNetworkFiles: the GraphML and GEXF of a run (default preset, seed
// 1, 20 weeks, one replication of the baseline) parse as XML and have a
// node per actor with its actors.csv values, an edge per tie, and as many
// cross edges as the actors count cross ties (each counted at both ends).
func TestNetworkFiles(t *testing.T) {
	s, err := scenarios.Load("default")
	if err != nil {
		t.Fatal(err)
	}
	var run experiment.Run
	s.Replications, s.Ticks = 1, 20
	plan, err := experiment.FromScenarios([]*scenarios.Scenario{s}, []string{"baseline"})
	if err != nil {
		t.Fatal(err)
	}
	plan.Network = true
	plan.EndState = func(r *experiment.Run) error {
		run = *r
		res := *r.Result
		run.Result = &res // EndState's caller releases the end state afterwards
		return nil
	}
	if _, err = experiment.Execute(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	if len(run.Result.Edges) == 0 {
		t.Fatal("the run kept no network")
	}
	ties, cross := 0, 0
	for _, a := range run.Result.Actors {
		ties += a.Ties
		cross += a.CrossTies
	}
	type value struct {
		Key   string `xml:"key,attr"`
		For   string `xml:"for,attr"`
		Value string `xml:"value,attr"`
		Text  string `xml:",chardata"`
	}
	type node struct {
		ID     string  `xml:"id,attr"`
		Data   []value `xml:"data"`
		Values []value `xml:"attvalues>attvalue"`
	}
	type edge struct {
		Data   []value `xml:"data"`
		Values []value `xml:"attvalues>attvalue"`
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"graphml": func(b *bytes.Buffer) error { return GraphML(b, &run) },
		"gexf":    func(b *bytes.Buffer) error { return GEXF(b, &run) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Nodes []node `xml:"graph>node"`
			Edges []edge `xml:"graph>edge"`
			GNode []node `xml:"graph>nodes>node"`
			GEdge []edge `xml:"graph>edges>edge"`
		}
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		nodes, edges := append(doc.Nodes, doc.GNode...), append(doc.Edges, doc.GEdge...)
		if len(nodes) != len(run.Result.Actors) || 2*len(edges) != ties {
			t.Errorf("%s: %d nodes, %d edges; want %d actors, %d ties", name, len(nodes), len(edges), len(run.Result.Actors), ties/2)
		}
		nc := 0
		for _, e := range edges {
			for _, v := range append(e.Data, e.Values...) {
				if (v.Key == "cross" || v.For == "cross") && strings.TrimSpace(v.Text+v.Value) == "true" {
					nc++
				}
			}
		}
		if 2*nc != cross {
			t.Errorf("%s: %d cross edges, actors count %d cross tie ends", name, nc, cross)
		}
		want := nodeValues(run.Result.Actors[3])
		var got []string
		for _, v := range append(nodes[3].Data, nodes[3].Values...) {
			got = append(got, v.Text+v.Value)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: node 3 has %v, want %v", name, got, want)
		}
	}
}
