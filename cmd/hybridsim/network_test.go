package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/lang"
)

// TestNetworkFlag: --network writes a GraphML and a GEXF file per run in
// network/, listed in the manifest; without it there is no network/.
func TestNetworkFlag(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o")
	if _, e, code := hs(t, "run", "--variants", "baseline,all-three", "--reps", "2", "--ticks", "10", "--warmup", "0", "--network", "--no-charts", "--quiet", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	var man struct{ Files []string }
	if err := json.Unmarshal(read(t, filepath.Join(out, "manifest.json")), &man); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"baseline", "all-three"} {
		for _, r := range []string{"0", "1"} {
			for _, ext := range []string{".graphml", ".gexf"} {
				name := "network/default_" + v + "_r" + r + ext
				b := read(t, filepath.Join(out, name))
				if !strings.Contains(string(b), `cross`) || !slices.Contains(man.Files, name) {
					t.Errorf("%s: missing, not listed in the manifest, or without the cross attribute", name)
				}
			}
		}
	}
	out2 := filepath.Join(t.TempDir(), "o")
	if _, e, code := hs(t, "run", "--variants", "baseline", "--reps", "1", "--ticks", "5", "--warmup", "0", "--no-charts", "--quiet", "--out", out2); code != 0 {
		t.Fatal(e)
	}
	if _, err := os.Stat(filepath.Join(out2, "network")); err == nil {
		t.Error("network/ written without --network")
	}
}

// TestDutchSummary: with --lang nl the terminal summary is Dutch, with the
// variants' Dutch names and decimal commas.
func TestDutchSummary(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o")
	so, e, code := hs(t, "run", "--lang", "nl", "--variants", "baseline,all-three", "--reps", "2", "--ticks", "20", "--warmup", "0", "--no-charts", "--out", out)
	if code != 0 {
		t.Fatal(e)
	}
	for _, want := range []string{"geschreven naar", "hybridisering", "uitgangssituatie", "alle drie", "95%-interval", "laatste 20 weken, 2 replicaties"} {
		if !strings.Contains(so, want) {
			t.Errorf("Dutch summary lacks %q:\n%s", want, so)
		}
	}
	for _, bad := range []string{"baseline", "all-three", "written", "replications"} {
		if strings.Contains(so, bad) {
			t.Errorf("Dutch summary says %q:\n%s", bad, so)
		}
	}
	if m := regexp.MustCompile(`\d\.\d`).FindString(so); m != "" {
		t.Errorf("Dutch summary has a decimal point (%q):\n%s", m, so)
	}
}

// TestDutchProgressBar: the progress bar speaks the report's language.
func TestDutchProgressBar(t *testing.T) {
	var b strings.Builder
	p := &progress{w: &b, on: true, start: time.Now().Add(-2300 * time.Millisecond), lang: lang.NL}
	p.update(5, 10)
	if got := b.String(); !strings.Contains(got, "5/10 runs, 50%, nog 2,") || strings.Contains(got, "left") {
		t.Errorf("Dutch progress bar %q", got)
	}
}
