package serve

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hybridsim/hybridsim/output"
	"github.com/hybridsim/hybridsim/scenarios"
	"github.com/hybridsim/hybridsim/sim"
)

//go:embed assets
var assets embed.FS

// Options configure a Server. The zero value of each field gives its
// default.
type Options struct {
	// File is a scenario read once at start (from the command line), offered
	// beside the presets as "file"; nil: presets only.
	File *scenarios.Scenario
	// Start is the scenario the page starts with: a preset name or "file".
	// The default is "file" when File is set, else the default preset.
	Start string
	// MaxRuns is how many comparisons may run at once; more get a "busy"
	// answer. The default is 2.
	MaxRuns int
	// Workers is the number of goroutines of one comparison. The default is
	// the number of CPUs.
	Workers int
	// NetworkActors is the largest area (actors at the start) whose tie
	// network the page shows; a larger one is also read every few weeks
	// rather than weekly. The default is 2000.
	NetworkActors int
	// WriteTimeout is how long one event of a comparison may take to go out
	// to the page; a page that stops reading is then dropped and its
	// comparison cancelled. The default is 30 seconds.
	WriteTimeout time.Duration
	// Loopback makes the server answer only requests addressed to
	// 127.0.0.1, ::1 or localhost (against DNS rebinding). The command sets
	// it unless --addr says otherwise.
	Loopback bool
}

// The limits of one comparison, so that a slider or a typed number cannot
// exhaust memory or keep the machine busy for hours. 'hybridsim run' on the
// downloaded scenario has none of them.
const (
	MaxReplications   = 200
	MaxWeeks          = 1040    // twenty years
	MaxActorWeeks     = 3000000 // actors × weeks of one run
	MaxHouseholdWeeks = 5e7     // households × weeks of one run
	MaxBody           = 64 << 10
	keepRuns          = 8 // comparisons kept for the downloads (the data of a large one is some 10 MB)
)

// Server is the live what-if page: its handlers and the comparisons that
// are running.
type Server struct {
	opts  Options
	bases map[string]*scenarios.Scenario
	order []string // scenario ids as the page lists them
	init  map[string]map[string]sim.Intervention
	slots chan struct{}

	mu       sync.Mutex
	sessions map[string]*active
	runs     map[string]*stored
	runOrder []string
	nextID   int
}

type active struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// stored is what a comparison leaves for the download links.
type stored struct {
	name      string
	canonical string
	csv       []byte // summary.csv of the replications finished so far
}

// New loads the presets and makes a server.
func New(opts Options) (*Server, error) {
	if opts.MaxRuns <= 0 {
		opts.MaxRuns = 2
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.NetworkActors <= 0 {
		opts.NetworkActors = 2000
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = 30 * time.Second
	}
	s := &Server{opts: opts, bases: map[string]*scenarios.Scenario{}, init: map[string]map[string]sim.Intervention{},
		slots: make(chan struct{}, opts.MaxRuns), sessions: map[string]*active{}, runs: map[string]*stored{}}
	if opts.File != nil {
		s.bases["file"] = opts.File
		s.order = append(s.order, "file")
	}
	for _, n := range scenarios.Presets() {
		sc, err := scenarios.Load(n)
		if err != nil {
			return nil, fmt.Errorf("preset %s: %w", n, err)
		}
		s.bases[n] = sc
		s.order = append(s.order, n)
	}
	for id, b := range s.bases {
		s.init[id] = initialInterventions(b)
	}
	if s.opts.Start == "" {
		s.opts.Start = s.order[0]
		if opts.File == nil {
			s.opts.Start = scenarios.DefaultPreset
		}
	}
	if _, ok := s.bases[s.opts.Start]; !ok {
		return nil, fmt.Errorf("no scenario %q to start with (presets: %s)", s.opts.Start, strings.Join(scenarios.Presets(), ", "))
	}
	return s, nil
}

// Handler returns the page, its assets and its API:
//
//	GET  /                          the page
//	GET  /assets/…                  its script and style
//	GET  /api/setup                 controls, scenarios, words (JSON)
//	POST /api/check                 checks a form; the problems or the scenario (JSON)
//	POST /api/run                   runs a form's comparison; server-sent events
//	GET  /api/runs/{id}/scenario.toml, /api/runs/{id}/data.csv   the downloads
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	sub, _ := fs.Sub(assets, "assets")
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServerFS(sub)))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		b, _ := fs.ReadFile(sub, "index.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("GET /api/setup", s.handleSetup)
	mux.HandleFunc("POST /api/check", s.handleCheck)
	mux.HandleFunc("POST /api/run", s.handleRun)
	mux.HandleFunc("GET /api/runs/{id}/{file}", s.handleDownload)
	return s.guard(mux)
}

// guard refuses requests addressed to another host when the server is on
// the loopback interface, and sets headers that keep the page to itself.
func (s *Server) guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.opts.Loopback && !loopbackHost(r.Host) {
			fail(w, http.StatusForbidden, fmt.Sprintf("this server answers only requests to 127.0.0.1 or localhost, not to %q", r.Host), nil)
			return
		}
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}

func loopbackHost(hostport string) bool {
	h, _, err := net.SplitHostPort(hostport)
	if err != nil {
		h = hostport
	}
	h = strings.Trim(h, "[]")
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// errorBody is every error answer of the API.
type errorBody struct {
	Error    string    `json:"error"`
	Problems []Problem `json:"problems,omitempty"`
}

func fail(w http.ResponseWriter, code int, msg string, problems []Problem) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(errorBody{Error: msg, Problems: problems})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v)
}

// readForm reads and checks a request's form; on failure it has answered.
func (s *Server) readForm(w http.ResponseWriter, r *http.Request) (*comparison, bool) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		fail(w, http.StatusUnsupportedMediaType, fmt.Sprintf("the body must be JSON (Content-Type application/json), got %q", ct), nil)
		return nil, false
	}
	f, err := decodeForm(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request is larger than %d KiB", MaxBody>>10), nil)
		} else {
			fail(w, http.StatusBadRequest, err.Error(), nil)
		}
		return nil, false
	}
	c, problems, err := s.prepare(f)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error(), problems)
		return nil, false
	}
	return c, true
}

// prepare turns a form into a comparison: the scenario document is built,
// loaded and checked as a file would be, then held to this page's limits.
func (s *Server) prepare(f *Form) (*comparison, []Problem, error) {
	base, ok := s.bases[f.Scenario]
	if !ok {
		return nil, []Problem{{Control: "scenario", Message: fmt.Sprintf("scenario %q is not offered here (choose one of %s)", f.Scenario, strings.Join(s.order, ", "))}},
			fmt.Errorf("unknown scenario %q", f.Scenario)
	}
	doc, err := buildDocument(base, s.init[f.Scenario], f)
	if err != nil {
		return nil, []Problem{{Message: err.Error()}}, err
	}
	sc, err := doc.load()
	if err != nil {
		ps := doc.problems(err)
		return nil, ps, fmt.Errorf("the settings have %d problem(s)", len(ps))
	}
	c := &comparison{scen: sc, canonical: sc.Canonical(), reps: sc.Replications, session: f.Session, networkActors: s.opts.NetworkActors}
	for v, name := range variantNames {
		cfg, err := sc.Config(name)
		if err != nil {
			return nil, []Problem{{Message: err.Error()}}, err
		}
		c.cfgs[v] = cfg
	}
	var ps []Problem
	weeks := sc.Ticks
	if sc.Replications > MaxReplications {
		ps = append(ps, Problem{Control: "replications", Message: fmt.Sprintf("replications: this page runs at most %d, got %d ('hybridsim run' on the downloaded scenario has no such limit)", MaxReplications, sc.Replications)})
	}
	if weeks > MaxWeeks {
		ps = append(ps, Problem{Control: "weeks", Message: fmt.Sprintf("weeks: this page runs at most %d, got %d", MaxWeeks, weeks)})
	}
	for _, cfg := range c.cfgs {
		p := cfg.Params
		actors := p.Professionals + p.Informal + p.Coordinators
		for _, iv := range cfg.Interventions {
			switch x := iv.(type) {
			case *sim.Intermediaries:
				actors += x.Add
			case *sim.CaseloadRelief:
				actors += x.AddProfessionals
			}
		}
		c.actors = max(c.actors, actors)
		simWeeks := weeks + cfg.Warmup // the warm-up is simulated too (docs/ODD.md §3.1)
		if aw := float64(actors) * float64(simWeeks); aw > MaxActorWeeks {
			ps = append(ps, Problem{Control: "population.informal", Message: fmt.Sprintf("%d actors × %d weeks (warm-up included) is %.0f actor-weeks per run; this page allows at most %d: fewer actors or weeks ('hybridsim run' has no such limit)", actors, simWeeks, aw, MaxActorWeeks)})
			break
		}
		if hw := float64(p.Households) * float64(simWeeks); hw > MaxHouseholdWeeks {
			ps = append(ps, Problem{Control: "area.households", Message: fmt.Sprintf("%d households × %d weeks (warm-up included) is %.0f household-weeks per run; this page allows at most %.0f: fewer households or weeks", p.Households, simWeeks, hw, float64(MaxHouseholdWeeks))})
			break
		}
	}
	if len(ps) > 0 {
		return nil, ps, fmt.Errorf("the comparison is too large for this page")
	}
	return c, nil, nil
}

// handleCheck answers whether a form is valid and, if so, with its
// scenario file.
func (s *Server) handleCheck(w http.ResponseWriter, r *http.Request) {
	c, ok := s.readForm(w, r)
	if !ok {
		return
	}
	writeJSON(w, map[string]any{"ok": true, "scenario": c.canonical})
}

// handleRun runs a comparison and streams it as server-sent events:
// "start", then "week" (each week of the first replication) and "network"
// (its tie network every few weeks) as it runs, "summary" as replications
// finish, and "done" or "error" at the end. Closing the request cancels
// the runs.
func (s *Server) handleRun(w http.ResponseWriter, r *http.Request) {
	c, ok := s.readForm(w, r)
	if !ok {
		return
	}
	session := c.session
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	me := &active{cancel: cancel, done: make(chan struct{})}
	defer close(me.done)
	if session != "" {
		s.mu.Lock()
		old := s.sessions[session]
		s.sessions[session] = me
		s.mu.Unlock()
		if old != nil {
			old.cancel()
			select {
			case <-old.done:
			case <-time.After(5 * time.Second):
			}
		}
		defer func() {
			s.mu.Lock()
			if s.sessions[session] == me {
				delete(s.sessions, session)
			}
			s.mu.Unlock()
		}()
	}
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	default:
		fail(w, http.StatusServiceUnavailable, fmt.Sprintf("busy: %d comparisons are running already, the most this server runs at once; try again when one has finished", cap(s.slots)), nil)
		return
	}
	c.id = s.newID()
	s.keep(c.id, &stored{name: c.scen.Name, canonical: c.canonical})

	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	var wmu sync.Mutex // events come from the pool's workers and from this one
	emit := func(event string, v any) bool {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err) // the events are plain data
		}
		wmu.Lock()
		defer wmu.Unlock()
		if ctx.Err() != nil {
			return false
		}
		// A page that stops reading (a stalled connection) must not hold
		// its slot for ever: each event has Options.WriteTimeout to go out.
		rc.SetWriteDeadline(time.Now().Add(s.opts.WriteTimeout))
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			cancel()
			return false
		}
		if err := rc.Flush(); err != nil {
			cancel()
			return false
		}
		return true
	}
	metrics := chartMetrics()
	names := make([]string, len(metrics))
	for i, m := range metrics {
		names[i] = m.String()
	}
	emit("start", map[string]any{"id": c.id, "weeks": c.cfgs[0].Ticks, "reps": c.reps, "metrics": names,
		"variants": variantNames, "scenario": "/api/runs/" + c.id + "/scenario.toml", "data": "/api/runs/" + c.id + "/data.csv",
		"window": min(c.cfgs[0].Ticks, 52), "network": c.actors <= c.networkActors})
	send := func(v any) bool {
		switch e := v.(type) {
		case weekEvent:
			return emit("week", e)
		case netEvent:
			return emit("network", e)
		}
		return false
	}
	cl := &collected{c: c, runs: make([][2]*sim.Result, c.reps)}
	// publish sends the summary of the replications finished so far and,
	// at the end, keeps their data for the download. Summarising takes
	// longer as replications and weeks grow, so it waits at least three
	// times as long as the last one took before summarising again.
	var last time.Time
	var cost time.Duration
	publish := func(final bool) {
		t0 := time.Now()
		o := cl.output()
		all := o.Summaries()
		emit("summary", summary(o, all, c.reps))
		if final {
			var b strings.Builder
			if err := output.Summary(&b, all); err == nil {
				s.keep(c.id, &stored{name: c.scen.Name, canonical: c.canonical, csv: []byte(b.String())})
			}
		}
		last, cost = time.Now(), time.Since(t0)
	}
	err := execute(ctx, c, s.opts.Workers, send, func(d repDone) {
		cl.runs[d.rep] = d.res
		cl.n++
		if cl.n == c.reps {
			publish(true)
		} else if time.Since(last) > max(150*time.Millisecond, 3*cost) {
			publish(false)
		}
	})
	switch {
	case err == nil:
		emit("done", map[string]any{"id": c.id, "n": cl.n})
	case ctx.Err() != nil:
		// Cancelled: a newer Run of this page, or the page went away. Keep
		// what finished for the download links.
		if cl.n > 0 {
			publish(true)
		}
	default:
		emit("error", errorBody{Error: err.Error()})
	}
}

func (s *Server) newID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	return strconv.Itoa(s.nextID)
}

// keep stores a comparison's downloads, forgetting the oldest beyond
// keepRuns.
func (s *Server) keep(id string, st *stored) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.runs[id]; !ok {
		s.runOrder = append(s.runOrder, id)
		if len(s.runOrder) > keepRuns {
			delete(s.runs, s.runOrder[0])
			s.runOrder = s.runOrder[1:]
		}
	}
	s.runs[id] = st
}

// handleDownload serves a comparison's scenario file or its data.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	st, ok := s.runs[r.PathValue("id")]
	s.mu.Unlock()
	if !ok {
		fail(w, http.StatusNotFound, fmt.Sprintf("no such comparison (this server keeps the last %d); press Run again", keepRuns), nil)
		return
	}
	var body []byte
	name := st.name
	switch r.PathValue("file") {
	case "scenario.toml":
		body = []byte(st.canonical)
		name += ".toml"
		w.Header().Set("Content-Type", "application/toml; charset=utf-8")
	case "data.csv":
		if st.csv == nil {
			fail(w, http.StatusNotFound, "the comparison is still running; its data can be downloaded when it has finished", nil)
			return
		}
		body = st.csv
		name += "-summary.csv"
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	default:
		fail(w, http.StatusNotFound, "the downloads are scenario.toml and data.csv", nil)
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// Serve answers on ln until ctx is done, then stops taking requests,
// cancels the running comparisons and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second, // the request; the event stream is the answer, without a limit
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	<-errc
	if errors.Is(err, context.DeadlineExceeded) {
		return hs.Close()
	}
	return err
}
