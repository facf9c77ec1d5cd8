// Package suggest finds the likely intended word for a misspelt one: the
// nearest by edit distance among those known. The loader uses it for keys,
// outputs, variants and intervention types, the command for command names.
package suggest

// Nearest returns the entry of known nearest to word by edit distance
// (Levenshtein, in runes; the first of equals) when it is near enough to be
// a likely misspelling — at most max(2, ⌊len(word)/3⌋) edits — else "".
func Nearest(word string, known []string) string {
	best, bd := "", 1<<30
	for _, k := range known {
		if d := distance(word, k); d < bd {
			best, bd = k, d
		}
	}
	if bd <= max(2, len(word)/3) {
		return best
	}
	return ""
}

// distance is the Levenshtein distance between a and b: the fewest
// insertions, deletions and substitutions of runes that turn a into b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
