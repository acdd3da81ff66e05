package extract

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// embeddedFirstNames is the first-name table infra/gender/build.sh makes
// from the US Social Security Administration's baby names: a line per
// name, lower case, a tab, then m or f; lines opening with # say where it
// comes from. Names too mixed between the sexes are left out.
//
//go:embed firstnames.tsv
var embeddedFirstNames string

// firstNames is the embedded table, parsed on first use and never changed
// after. A file that does not parse gives an empty table (first names then
// have no gender but the hand lists') and fails TestEmbeddedFirstNames, so
// it never ships.
var firstNames = sync.OnceValues(func() (map[nameKey]gender, error) {
	return parseFirstNames(embeddedFirstNames)
})

// longestFirstName bounds the names the table holds; the SSA files have
// none longer than 15 letters.
const longestFirstName = 16

// nameKey is a lower-case name padded with zero bytes. Keys without
// pointers keep the table's tens of thousands of entries out of the
// garbage collector's scans, which strings would put in every one.
type nameKey [longestFirstName]byte

// parseFirstNames reads a first-name table.
func parseFirstNames(tsv string) (map[nameKey]gender, error) {
	names := make(map[nameKey]gender, strings.Count(tsv, "\n"))
	for n := 1; tsv != ""; n++ {
		var line string
		line, tsv, _ = strings.Cut(tsv, "\n")
		if line == "" || line[0] == '#' {
			continue
		}
		name, sex, ok := strings.Cut(line, "\t")
		if !ok || name == "" || len(name) > longestFirstName || name != strings.ToLower(name) {
			return nil, fmt.Errorf("extract: first names line %d: want a lower-case name, a tab and m or f, got %q", n, line)
		}
		var key nameKey
		copy(key[:], name)
		switch sex {
		case "m":
			names[key] = male
		case "f":
			names[key] = female
		default:
			return nil, fmt.Errorf("extract: first names line %d: gender %q is neither m nor f", n, sex)
		}
	}
	return names, nil
}

// newsFirstNames are the names whose bearers in the news are of the other
// sex from most American babies given them: Lindsey Graham, Bibi
// Netanyahu, Aung San Suu Kyi.
var newsFirstNames = map[string]gender{"lindsey": male, "bibi": male, "aung": female}

// tableGender is the gender the first-name table, corrected by
// newsFirstNames, gives a word, folding ASCII case without allocating.
func tableGender(word string) gender {
	var key nameKey
	if len(word) > len(key) {
		return unknownGender
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		key[i] = c
	}
	if g, ok := newsFirstNames[string(key[:len(word)])]; ok {
		return g
	}
	table, err := firstNames()
	if err != nil {
		return unknownGender
	}
	return table[key]
}
