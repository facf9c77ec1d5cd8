package scenarios

import (
	"strconv"
	"strings"
)

// pos is a line and column, both from 1.
type pos struct{ line, col int }

// keyPositions finds where each key of a TOML document is written, as a map
// from key path ("variants[1].interventions[0].type", "area.urbanity") to
// its position. It reads only what it needs for error messages — table
// headers, arrays of tables and key = value lines — and skips the insides
// of multi-line strings and arrays; the TOML library has already checked
// the syntax.
func keyPositions(src string) map[string]pos {
	out := map[string]pos{}
	counts := map[string]int{} // array-of-tables path → elements so far
	current := ""
	lines := strings.Split(src, "\n")
	inML := "" // the delimiter of the multi-line string we are in
	depth := 0 // open brackets of a multi-line array
	for n, raw := range lines {
		line := raw
		if inML != "" {
			if strings.Contains(line, inML) {
				inML = ""
			}
			continue
		}
		if depth > 0 {
			depth += bracketDepth(line)
			continue
		}
		trim := strings.TrimLeft(line, " \t")
		col := len(line) - len(trim) + 1
		if trim == "" || trim[0] == '#' {
			continue
		}
		if strings.HasPrefix(trim, "[[") {
			name := strings.TrimSpace(strings.SplitN(trim[2:], "]]", 2)[0])
			path := resolve(name, counts, false)
			counts[path]++
			current = path + "[" + strconv.Itoa(counts[path]-1) + "]"
			out[current] = pos{n + 1, col}
			continue
		}
		if trim[0] == '[' {
			name := strings.TrimSpace(strings.SplitN(trim[1:], "]", 2)[0])
			current = resolve(name, counts, true)
			out[current] = pos{n + 1, col}
			continue
		}
		eq := strings.IndexByte(trim, '=')
		if eq < 0 {
			continue
		}
		key := cleanKey(trim[:eq])
		path := key
		if current != "" {
			path = current + "." + key
		}
		out[path] = pos{n + 1, col}
		value := strings.TrimSpace(trim[eq+1:])
		for _, d := range []string{`"""`, `'''`} {
			if strings.HasPrefix(value, d) && !strings.Contains(value[3:], d) {
				inML = d
			}
		}
		if inML == "" && strings.HasPrefix(value, "[") {
			depth = bracketDepth(value)
		}
	}
	return out
}

// resolve turns a dotted table name into a path, giving each prefix that is
// an array of tables the index of its latest element (the last part too, if
// last).
func resolve(name string, counts map[string]int, last bool) string {
	path := ""
	parts := strings.Split(name, ".")
	for k, part := range parts {
		if path != "" {
			path += "."
		}
		path += cleanKey(part)
		if n, ok := counts[path]; ok && (last || k < len(parts)-1) {
			path += "[" + strconv.Itoa(n-1) + "]"
		}
	}
	return path
}

func cleanKey(k string) string {
	parts := strings.Split(strings.TrimSpace(k), ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

// bracketDepth is the change in bracket depth over a line, outside strings
// and comments.
func bracketDepth(s string) int {
	d := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			return d
		case c == '[':
			d++
		case c == ']':
			d--
		}
	}
	return d
}
