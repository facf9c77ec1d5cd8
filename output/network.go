package output

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/hybridsim/hybridsim/experiment"
	"github.com/hybridsim/hybridsim/sim"
)

// NetworkDir is the directory of an output that holds the --network files.
const NetworkDir = "network"

// NetworkName is the file name, without extension, of a run's end-state
// network: SCENARIO_VARIANT_rREP (rep counted from 0, as in actors.csv).
func NetworkName(r *experiment.Run) string {
	return fmt.Sprintf("%s_%s_r%d", r.Scenario, r.Variant, r.Rep)
}

// nodeColumns are the actor columns every node carries, as in actors.csv.
var nodeColumns = []struct{ name, graphml, gexf string }{
	{"side", "string", "string"}, {"role", "string", "string"}, {"active", "boolean", "boolean"},
	{"w", "double", "double"}, {"a", "double", "double"}, {"g", "double", "double"},
	{"x0", "double", "double"}, {"x1", "double", "double"}, {"x2", "double", "double"}, {"x3", "double", "double"},
	{"iota", "double", "double"}, {"pi", "double", "double"}, {"m", "double", "double"},
	{"ties", "int", "integer"}, {"cross_ties", "int", "integer"}, {"cross_contacts", "int", "integer"},
}

// nodeValues are an actor's values in the order of nodeColumns, written as
// in actors.csv.
func nodeValues(a sim.ActorState) []string {
	v := []string{a.Side.String(), a.Role.String(), strconv.FormatBool(a.Active)}
	for _, x := range [...]float64{a.W, a.A, a.G, a.X[0], a.X[1], a.X[2], a.X[3], a.Iota, a.Pi, a.M} {
		v = append(v, F(x))
	}
	for _, n := range [...]int{a.Ties, a.CrossTies, a.CrossContacts} {
		v = append(v, strconv.Itoa(n))
	}
	return v
}

// cross reports whether a tie joins a professional and an informal party.
func cross(a, b sim.Side) bool {
	return (a == sim.SideFormal && b == sim.SideInformal) || (a == sim.SideInformal && b == sim.SideFormal)
}

func checkNetwork(r *experiment.Run) error {
	if r.Result == nil || r.Result.Actors == nil {
		return fmt.Errorf("%s: the run's end state is not kept", NetworkName(r))
	}
	return nil
}

type gmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

type gmlKey struct {
	ID   string `xml:"id,attr"`
	For  string `xml:"for,attr"`
	Name string `xml:"attr.name,attr"`
	Type string `xml:"attr.type,attr"`
}

type gmlNode struct {
	ID   string    `xml:"id,attr"`
	Data []gmlData `xml:"data"`
}

type gmlEdge struct {
	ID     string    `xml:"id,attr"`
	Source string    `xml:"source,attr"`
	Target string    `xml:"target,attr"`
	Data   []gmlData `xml:"data"`
}

// GraphML writes a run's end-state tie network as GraphML
// (graphml.graphdrawing.org): a node per actor, its id that of actors.csv,
// with the actor's columns (side, role, active, w, a, g, x0–x3, iota, pi,
// m, ties, cross_ties, cross_contacts); an undirected edge per tie with its
// strength and cross (true for a tie between a professional and an
// informal party). Gephi, networkx (read_graphml) and igraph read it.
func GraphML(w io.Writer, r *experiment.Run) error {
	if err := checkNetwork(r); err != nil {
		return err
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	e := xml.NewEncoder(w)
	e.Indent("", " ")
	root := xml.StartElement{Name: xml.Name{Local: "graphml"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: "http://graphml.graphdrawing.org/xmlns"}}}
	if err := e.EncodeToken(root); err != nil {
		return err
	}
	for _, c := range nodeColumns {
		if err := e.Encode(struct {
			gmlKey
			XMLName xml.Name `xml:"key"`
		}{gmlKey: gmlKey{ID: c.name, For: "node", Name: c.name, Type: c.graphml}}); err != nil {
			return err
		}
	}
	for _, k := range []gmlKey{{"strength", "edge", "strength", "double"}, {"cross", "edge", "cross", "boolean"}} {
		if err := e.Encode(struct {
			gmlKey
			XMLName xml.Name `xml:"key"`
		}{gmlKey: k}); err != nil {
			return err
		}
	}
	g := xml.StartElement{Name: xml.Name{Local: "graph"}, Attr: []xml.Attr{{Name: xml.Name{Local: "id"}, Value: NetworkName(r)}, {Name: xml.Name{Local: "edgedefault"}, Value: "undirected"}}}
	if err := e.EncodeToken(g); err != nil {
		return err
	}
	for _, a := range r.Result.Actors {
		n := gmlNode{ID: strconv.Itoa(a.ID)}
		for i, v := range nodeValues(a) {
			n.Data = append(n.Data, gmlData{Key: nodeColumns[i].name, Value: v})
		}
		if err := e.Encode(struct {
			gmlNode
			XMLName xml.Name `xml:"node"`
		}{gmlNode: n}); err != nil {
			return err
		}
	}
	acts := r.Result.Actors
	for i, ed := range r.Result.Edges {
		x := gmlEdge{ID: "e" + strconv.Itoa(i), Source: strconv.Itoa(int(ed.A)), Target: strconv.Itoa(int(ed.B)),
			Data: []gmlData{{"strength", F(ed.S)}, {"cross", strconv.FormatBool(cross(acts[ed.A].Side, acts[ed.B].Side))}}}
		if err := e.Encode(struct {
			gmlEdge
			XMLName xml.Name `xml:"edge"`
		}{gmlEdge: x}); err != nil {
			return err
		}
	}
	if err := e.EncodeToken(g.End()); err != nil {
		return err
	}
	if err := e.EncodeToken(root.End()); err != nil {
		return err
	}
	if err := e.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

type gexfAttr struct {
	ID    string `xml:"id,attr"`
	Title string `xml:"title,attr"`
	Type  string `xml:"type,attr"`
}

type gexfValue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

type gexfNode struct {
	XMLName xml.Name    `xml:"node"`
	ID      string      `xml:"id,attr"`
	Label   string      `xml:"label,attr"`
	Values  []gexfValue `xml:"attvalues>attvalue"`
}

type gexfEdge struct {
	XMLName xml.Name    `xml:"edge"`
	ID      string      `xml:"id,attr"`
	Source  string      `xml:"source,attr"`
	Target  string      `xml:"target,attr"`
	Weight  string      `xml:"weight,attr"`
	Values  []gexfValue `xml:"attvalues>attvalue"`
}

// GEXF writes the same network as GEXF 1.2 (gexf.net), Gephi's own format:
// the node columns as node attributes, each tie's strength as its weight
// and as attribute strength, and cross as an edge attribute.
func GEXF(w io.Writer, r *experiment.Run) error {
	if err := checkNetwork(r); err != nil {
		return err
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	e := xml.NewEncoder(w)
	e.Indent("", " ")
	start := func(name string, attrs ...string) xml.StartElement {
		el := xml.StartElement{Name: xml.Name{Local: name}}
		for i := 0; i+1 < len(attrs); i += 2 {
			el.Attr = append(el.Attr, xml.Attr{Name: xml.Name{Local: attrs[i]}, Value: attrs[i+1]})
		}
		return el
	}
	root := start("gexf", "xmlns", "http://www.gexf.net/1.2draft", "version", "1.2")
	graph := start("graph", "mode", "static", "defaultedgetype", "undirected")
	if err := e.EncodeToken(root); err != nil {
		return err
	}
	if err := e.Encode(struct {
		XMLName     xml.Name `xml:"meta"`
		Creator     string   `xml:"creator"`
		Description string   `xml:"description"`
	}{Creator: "hybridsim", Description: "end-state tie network of " + NetworkName(r)}); err != nil {
		return err
	}
	if err := e.EncodeToken(graph); err != nil {
		return err
	}
	var na []gexfAttr
	for _, c := range nodeColumns {
		na = append(na, gexfAttr{ID: c.name, Title: c.name, Type: c.gexf})
	}
	for _, attrs := range []struct {
		class string
		list  []gexfAttr
	}{{"node", na}, {"edge", []gexfAttr{{"strength", "strength", "double"}, {"cross", "cross", "boolean"}}}} {
		if err := e.Encode(struct {
			XMLName xml.Name   `xml:"attributes"`
			Class   string     `xml:"class,attr"`
			Attrs   []gexfAttr `xml:"attribute"`
		}{Class: attrs.class, Attrs: attrs.list}); err != nil {
			return err
		}
	}
	nodes := start("nodes")
	if err := e.EncodeToken(nodes); err != nil {
		return err
	}
	for _, a := range r.Result.Actors {
		id := strconv.Itoa(a.ID)
		n := gexfNode{ID: id, Label: id}
		for i, v := range nodeValues(a) {
			n.Values = append(n.Values, gexfValue{For: nodeColumns[i].name, Value: v})
		}
		if err := e.Encode(n); err != nil {
			return err
		}
	}
	if err := e.EncodeToken(nodes.End()); err != nil {
		return err
	}
	edges := start("edges")
	if err := e.EncodeToken(edges); err != nil {
		return err
	}
	acts := r.Result.Actors
	for i, ed := range r.Result.Edges {
		s := F(ed.S)
		x := gexfEdge{ID: strconv.Itoa(i), Source: strconv.Itoa(int(ed.A)), Target: strconv.Itoa(int(ed.B)), Weight: s,
			Values: []gexfValue{{"strength", s}, {"cross", strconv.FormatBool(cross(acts[ed.A].Side, acts[ed.B].Side))}}}
		if err := e.Encode(x); err != nil {
			return err
		}
	}
	for _, el := range []xml.StartElement{edges, graph, root} {
		if err := e.EncodeToken(el.End()); err != nil {
			return err
		}
	}
	if err := e.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// WriteNetwork writes run r's network as NetworkDir/NAME.graphml and
// NetworkDir/NAME.gexf inside dir (an output being written) and returns
// their names relative to dir.
func WriteNetwork(dir string, r *experiment.Run) ([]string, error) {
	nd, err := Path(dir, NetworkDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(nd, 0o755); err != nil {
		return nil, err
	}
	base := filepath.Join(NetworkDir, NetworkName(r))
	var names []string
	for _, f := range []struct {
		ext   string
		write func(io.Writer, *experiment.Run) error
	}{{".graphml", GraphML}, {".gexf", GEXF}} {
		name := base + f.ext
		if err := Create(nd, NetworkName(r)+f.ext, func(w io.Writer) error { return f.write(w, r) }); err != nil {
			return names, fmt.Errorf("%s: %w", name, err)
		}
		names = append(names, filepath.ToSlash(name))
	}
	return names, nil
}
