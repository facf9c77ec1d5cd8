package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/scenarios"
)

// newTestServer starts a server on a loopback port and checks, when the
// test ends, that no goroutine of it is left (the count of goroutines
// before it started is reached again).
func newTestServer(t *testing.T, opts Options, wrap ...func(net.Listener) net.Listener) (*httptest.Server, *Server) {
	t.Helper()
	before := runtime.NumGoroutine()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(s.Handler())
	for _, w := range wrap {
		ts.Listener = w(ts.Listener)
	}
	ts.Start()
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
		http.DefaultClient.CloseIdleConnections()
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<16)
			t.Errorf("%d goroutines left after the server closed, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
		}
	})
	return ts, s
}

func post(t *testing.T, ts *httptest.Server, path, body string) (*http.Response, errorBody) {
	t.Helper()
	res, err := http.Post(ts.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var eb errorBody
	if res.StatusCode != http.StatusOK {
		if err := json.NewDecoder(res.Body).Decode(&eb); err != nil {
			t.Fatalf("%s answered %s without a JSON error: %v", path, res.Status, err)
		}
	} else {
		io.Copy(io.Discard, res.Body)
	}
	return res, eb
}

func TestBadRequests(t *testing.T) {
	ts, _ := newTestServer(t, Options{})
	cases := []struct {
		name, body string
		code       int
		control    string // the control the first problem names
		want       string // in the error or a problem
	}{
		{"out of range", `{"scenario":"default","params":{"area.urbanity":1.5}}`, 400, "area.urbanity", "what-if.toml:11:1: area.urbanity must be from 0 to 1, got 1.5"},
		{"wrong type", `{"scenario":"default","params":{"population.informal":"many"}}`, 400, "population.informal", `population.informal must be a number (a whole number from 1 to 10000000), got the text "many"`},
		{"intervention out of range", `{"scenario":"default","interventions":[{"type":"wijktafel","values":{"attendance_formal":2}}]}`, 400, "wijktafel.attendance_formal", "attendance_formal must be from 0 to 1, got 2"},
		{"unknown intervention", `{"scenario":"default","interventions":[{"type":"wijktafels","values":{}}]}`, 400, "wijktafels", `did you mean "wijktafel"?`},
		{"unknown key", `{"scenario":"default","params":{"area.urbanicity":0.5}}`, 400, "area.urbanicity", "did you mean urbanity?"},
		{"bad choice", `{"scenario":"default","interventions":[{"type":"end_goal","values":{"perspective":"everything"}}]}`, 400, "end_goal.perspective", `must be one of none, accessibility`},
		{"huge replications", `{"scenario":"default","replications":1000000}`, 400, "replications", "this page runs at most 200, got 1000000"},
		{"replications beyond files", `{"scenario":"default","replications":10000000}`, 400, "replications", "replications must be a whole number from 1 to 1000000, got 10000000"},
		{"too many actors", `{"scenario":"default","params":{"population.informal":100000}}`, 400, "population.informal", "actor-weeks per run; this page allows at most"},
		{"too many weeks", `{"scenario":"default","weeks":5000}`, 400, "weeks", "this page runs at most 1040, got 5000"},
		{"unknown scenario", `{"scenario":"../../etc/passwd"}`, 400, "scenario", `scenario "../../etc/passwd" is not offered here`},
		{"malformed JSON", `{"scenario":"default",`, 400, "", "malformed request"},
		{"not an object", `[1,2]`, 400, "", "malformed request"},
		{"unknown field", `{"scenario":"default","file":"/etc/passwd"}`, 400, "", `unknown field "file"`},
		{"two values", `{"scenario":"default"} {}`, 400, "", "more than one JSON value"},
		{"empty", ``, 400, "", "the body is empty"},
		{"object as value", `{"scenario":"default","params":{"area.urbanity":{"x":1}}}`, 400, "", "area.urbanity must be a number, text or true/false, got an object"},
		{"intervention twice", `{"scenario":"default","interventions":[{"type":"push","values":{}},{"type":"push","values":{}}]}`, 400, "", "interventions[1]: push is given twice"},
		{"null", `{"scenario":"default","params":{"area.urbanity":null}}`, 400, "", "area.urbanity must be a number, text or true/false, got null"},
		{"control characters", `{"scenario":"default","interventions":[{"type":"social_reflection","values":{"facilitator":"a\nb = 1"}}]}`, 400, "", "without control characters"},
		{"bad path", `{"scenario":"default","params":{"area.urbanity\nx":1}}`, 400, "", "is not a parameter path"},
		{"too large", `{"scenario":"default","params":{"area.urbanity":0.5` + strings.Repeat(" ", MaxBody) + `}}`, 413, "", "larger than 64 KiB"},
	}
	for _, c := range cases {
		for _, path := range []string{"/api/check", "/api/run"} {
			t.Run(c.name+path, func(t *testing.T) {
				res, eb := post(t, ts, path, c.body)
				if res.StatusCode != c.code {
					t.Fatalf("status %d, want %d (%+v)", res.StatusCode, c.code, eb)
				}
				all := eb.Error
				for _, p := range eb.Problems {
					all += "\n" + p.Message
				}
				if !strings.Contains(all, c.want) {
					t.Errorf("the answer says\n%s\nwant it to say %q", all, c.want)
				}
				if c.control != "" && (len(eb.Problems) == 0 || eb.Problems[0].Control != c.control) {
					t.Errorf("problems %+v, want the first about control %q", eb.Problems, c.control)
				}
			})
		}
	}
}

// TestSameMessagesAsFiles: a value out of range gets the message that the
// same value gets in a scenario file.
func TestSameMessagesAsFiles(t *testing.T) {
	ts, _ := newTestServer(t, Options{})
	_, eb := post(t, ts, "/api/check", `{"scenario":"default","params":{"area.migrant_share":-0.2},"interventions":[{"type":"wijktafel","values":{"every":0}}]}`)
	file := filepath.Join(t.TempDir(), "x.toml")
	os.WriteFile(file, []byte("extends = \"default\"\n[area]\nmigrant_share = -0.2\n[[variants]]\nname = \"baseline\"\n[[variants]]\nname = \"v\"\n  [[variants.interventions]]\n  type = \"wijktafel\"\n  every = 0\n"), 0o644)
	_, err := scenarios.Load(file)
	if err == nil {
		t.Fatal("the file loads")
	}
	var want []string
	for _, p := range err.(*scenarios.Error).Problems {
		want = append(want, strings.TrimPrefix(p.Error(), p.Error()[:strings.Index(p.Error(), ": ")+2]))
	}
	if len(eb.Problems) != len(want) {
		t.Fatalf("the page got %d problems %+v, the file %d %q", len(eb.Problems), eb.Problems, len(want), want)
	}
	for i, p := range eb.Problems {
		got := p.Message[strings.Index(p.Message, ": ")+2:]
		if got != want[i] {
			t.Errorf("page: %q\nfile: %q", got, want[i])
		}
	}
}

func TestHostAndMethods(t *testing.T) {
	ts, _ := newTestServer(t, Options{Loopback: true})
	req, _ := http.NewRequest("GET", ts.URL+"/", nil)
	req.Host = "attacker.example:8080"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a request for another host got %s", res.Status)
	}
	for path, code := range map[string]int{"/": 200, "/assets/app.js": 200, "/api/setup": 200, "/api/run": 405, "/api/runs/99/data.csv": 404, "/api/runs/1/passwd": 404, "/assets/../server.go": 404} {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != code {
			t.Errorf("GET %s: %s, want %d", path, res.Status, code)
		}
	}
	res, _ = http.Post(ts.URL+"/api/run", "text/plain", strings.NewReader("{}"))
	res.Body.Close()
	if res.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("a text/plain run got %s", res.Status)
	}
}

// stream starts a run and returns its events one by one.
type stream struct {
	res    *http.Response
	r      *bufio.Reader
	cancel context.CancelFunc
}

func startRun(t *testing.T, ts *httptest.Server, body string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/api/run", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); res.Body.Close() })
	return &stream{res: res, r: bufio.NewReader(res.Body), cancel: cancel}
}

// next returns the next event's name and data; "" at the end.
func (s *stream) next() (string, string) {
	var ev, data string
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return "", ""
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "" && ev != "":
			return ev, data
		case strings.HasPrefix(line, "event: "):
			ev = line[7:]
		case strings.HasPrefix(line, "data: "):
			data = line[6:]
		}
	}
}

func (s *stream) until(t *testing.T, want string) string {
	t.Helper()
	for {
		ev, data := s.next()
		if ev == want {
			return data
		}
		if ev == "" || ev == "error" {
			t.Fatalf("the stream ended (%s %s) before %q", ev, data, want)
		}
	}
}

const longRun = `{"session":"%s","scenario":"default","replications":200,"weeks":1040}`

func TestRunStreamsAndDownloads(t *testing.T) {
	ts, _ := newTestServer(t, Options{Workers: 2})
	s := startRun(t, ts, `{"scenario":"hoorn","replications":4,"weeks":30,"interventions":[{"type":"wijktafel","values":{"attendance_formal":0.9}}]}`)
	if s.res.StatusCode != 200 || s.res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("run: %s %s", s.res.Status, s.res.Header.Get("Content-Type"))
	}
	var start struct {
		ID, Scenario, Data string
		Weeks, Reps        int
		Metrics            []string
	}
	json.Unmarshal([]byte(s.until(t, "start")), &start)
	if start.Weeks != 30 || start.Reps != 4 || start.Metrics[0] != "hybridisation" {
		t.Fatalf("start %+v", start)
	}
	weeks, nets, sums := 0, 0, 0
	var last summaryEvent
	for {
		ev, data := s.next()
		if ev == "" || ev == "done" {
			if ev == "" {
				t.Fatal("no done event")
			}
			break
		}
		switch ev {
		case "week":
			weeks++
		case "network":
			var n netEvent
			json.Unmarshal([]byte(data), &n)
			if len(n.Sides) == 0 || len(n.Edges) == 0 {
				t.Errorf("empty network %.100s", data)
			}
			nets++
		case "summary":
			sums++
			last = summaryEvent{}
			json.Unmarshal([]byte(data), &last)
		}
	}
	if weeks != 30 || nets < 2*(30/4) || sums == 0 || !last.Done || last.N != 4 {
		t.Fatalf("%d week events, %d network events, %d summaries, the last %d of %d done=%v", weeks, nets, sums, last.N, last.Reps, last.Done)
	}
	b := last.Bands["hybridisation"]
	if len(b[0].Mean) != 30 || len(b[1].P95) != 30 {
		t.Fatalf("hybridisation bands of %d and %d weeks", len(b[0].Mean), len(b[1].P95))
	}
	for i := range 30 {
		for v := range 2 {
			if !(b[v].P05[i] <= b[v].Mean[i]+1e-9 && b[v].Mean[i] <= b[v].P95[i]+1e-9) {
				t.Fatalf("week %d variant %d: mean %v outside its band %v–%v", i, v, b[v].Mean[i], b[v].P05[i], b[v].P95[i])
			}
		}
	}
	for _, f := range []string{start.Scenario, start.Data} {
		res, err := http.Get(ts.URL + f)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") || len(body) < 100 {
			t.Errorf("GET %s: %s, %d bytes", f, res.Status, len(body))
		}
	}
}

func TestBusyAndCancel(t *testing.T) {
	ts, srv := newTestServer(t, Options{MaxRuns: 1, Workers: 1})
	a := startRun(t, ts, fmt.Sprintf(longRun, "a"))
	a.until(t, "week")
	// Another page: busy, with a clear answer.
	res, eb := post(t, ts, "/api/run", fmt.Sprintf(longRun, "b"))
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(eb.Error, "busy") {
		t.Fatalf("a second run got %s %+v", res.Status, eb)
	}
	// The same page pressing Run again: the old run stops, the new one runs.
	b := startRun(t, ts, fmt.Sprintf(longRun, "a"))
	b.until(t, "week")
	for {
		if ev, _ := a.next(); ev == "" {
			break
		}
	}
	// Closing the connection (the page goes away) stops the run and frees
	// its slot.
	b.cancel()
	deadline := time.Now().Add(5 * time.Second)
	for len(srv.slots) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if len(srv.slots) != 0 {
		t.Fatal("the run of a closed connection still holds its slot")
	}
	c := startRun(t, ts, fmt.Sprintf(longRun, "c"))
	c.until(t, "week")
	c.cancel()
}

func TestSetupListsControls(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	body := s.setup()
	ids := map[string]control{}
	for _, g := range body.Groups {
		for _, c := range g.Controls {
			ids[c.ID] = c
		}
	}
	for _, id := range append(append([]string{}, areaControls...), "wijktafel.attendance_formal", "wijktafel.start", "end_goal.perspective",
		"end_goal.clarity", "end_goal.support", "end_goal.participation", "weeks", "replications", "seed") {
		c, ok := ids[id]
		if !ok {
			t.Errorf("no control %s", id)
			continue
		}
		if c.Meaning[0] == "" || c.Meaning[1] == "" || c.Allowed[0] == "" || c.Allowed[1] == "" {
			t.Errorf("%s: meaning %q, allowed %q", id, c.Meaning, c.Allowed)
		}
		if c.Meaning[1] == c.Meaning[0] && id != "weeks" {
			t.Errorf("%s has no Dutch meaning", id)
		}
	}
	if got := ids["area.urbanity"].Allowed; got != [2]string{"from 0 to 1", "van 0 tot en met 1"} {
		t.Errorf("urbanity allowed %q", got)
	}
	for _, sc := range body.Scenarios {
		for id := range ids {
			if _, ok := sc.Values[id]; !ok {
				t.Errorf("scenario %s has no start value for %s", sc.ID, id)
			}
		}
	}
}

// events runs a form to the end and counts its events by name.
func events(t *testing.T, ts *httptest.Server, body string) (map[string]int, map[string]string) {
	t.Helper()
	s := startRun(t, ts, body)
	if s.res.StatusCode != 200 {
		t.Fatalf("run: %s", s.res.Status)
	}
	n, last := map[string]int{}, map[string]string{}
	for {
		ev, data := s.next()
		if ev == "" {
			return n, last
		}
		n[ev]++
		last[ev] = data
	}
}

func TestLargeAreaWithoutNetwork(t *testing.T) {
	ts, _ := newTestServer(t, Options{Workers: 2, NetworkActors: 100})
	n, last := events(t, ts, `{"scenario":"default","replications":2,"weeks":20,"params":{"population.informal":150}}`)
	if !strings.Contains(last["start"], `"network":false`) || n["network"] != 0 {
		t.Errorf("an area of more than 100 actors: start %s, %d network events", last["start"], n["network"])
	}
	if n["week"] != 20 || n["done"] != 1 {
		t.Errorf("%d week events for 20 weeks read every few weeks, done %d", n["week"], n["done"])
	}
	n, last = events(t, ts, `{"scenario":"default","replications":2,"weeks":20,"params":{"population.informal":60}}`)
	if !strings.Contains(last["start"], `"network":true`) || n["network"] != 2*(1+20/4) || n["week"] != 20 {
		t.Errorf("an area of fewer than 100 actors: start %s, %d network events, %d week events", last["start"], n["network"], n["week"])
	}
}

// TestScenarioFile: a scenario given on the command line is offered as
// "file", first, and the page starts with it.
func TestScenarioFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "my-area.toml")
	os.WriteFile(file, []byte("extends = \"hoorn\"\nname = \"my-area\"\n[area]\nurbanity = 0.77\n"), 0o644)
	sc, err := scenarios.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	ts, s := newTestServer(t, Options{File: sc, Workers: 1})
	os.Remove(file) // read once at start: the server does not need it again
	body := s.setup()
	if body.Start != "file" || body.Scenarios[0].ID != "file" || body.Scenarios[0].Values["area.urbanity"] != 0.77 {
		t.Fatalf("start %q, first scenario %q with urbanity %v", body.Start, body.Scenarios[0].ID, body.Scenarios[0].Values["area.urbanity"])
	}
	n, last := events(t, ts, `{"scenario":"file","replications":1,"weeks":5}`)
	if n["done"] != 1 {
		t.Fatalf("events %v", n)
	}
	var start struct{ Scenario string }
	json.Unmarshal([]byte(last["start"]), &start)
	res, err := http.Get(ts.URL + start.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	toml, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{`name = "my-area-what-if"`, "urbanity = 0.77", `type = "hybrid_workers"`, "ticks = 5"} {
		if !strings.Contains(string(toml), want) {
			t.Errorf("the scenario lacks %q:\n%s", want, toml)
		}
	}
}

// TestStalledPage: a page that sends a Run and then reads nothing loses its
// comparison once an event cannot go out within the write timeout, and
// the slot is free again.
func TestStalledPage(t *testing.T) {
	// Small socket buffers on both sides, so that they fill at once.
	small := func(l net.Listener) net.Listener { return smallBuffers{l} }
	ts, srv := newTestServer(t, Options{MaxRuns: 1, Workers: 1, WriteTimeout: 200 * time.Millisecond}, small)
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetReadBuffer(4096)
	}
	body := fmt.Sprintf(longRun, "stalled")
	fmt.Fprintf(conn, "POST /api/run HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", ts.Listener.Addr(), len(body), body)
	deadline := time.Now().Add(time.Second)
	for len(srv.slots) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if len(srv.slots) != 1 {
		t.Fatal("the run did not start")
	}
	deadline = time.Now().Add(20 * time.Second)
	for len(srv.slots) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if len(srv.slots) != 0 {
		t.Fatal("a page that reads nothing still holds its slot after 20 s")
	}
}

type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4096)
	}
	return c, err
}
