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

// firstNames is the embedded table with newsFirstNames' corrections,
// built on first use and never changed after. A file that does not parse
// gives an empty table (first names then have no gender but the hand
// lists') and fails TestEmbeddedFirstNames, so it never ships.
var firstNames = sync.OnceValues(func() (map[uint64]gender, error) {
	table, err := parseFirstNames(embeddedFirstNames)
	if err != nil {
		return nil, err
	}
	for name, g := range newsFirstNames {
		key, _ := nameKey(name)
		table[key] = g
	}
	return table, nil
})

// newsFirstNames are the names whose bearers in the news are of the other
// sex from most American babies given them: Lindsey Graham, Bibi
// Netanyahu, Aung San Suu Kyi.
var newsFirstNames = map[string]gender{"lindsey": male, "bibi": male, "aung": female}

// longestFirstName is the most letters a nameKey holds.
const longestFirstName = 13

// nameKey packs an ASCII name of 1 to 13 letters, in either case, into a
// number: each letter a base-27 digit from 1 to 26, so that no two names
// share one. Keys without pointers keep the table's tens of thousands of
// entries out of the garbage collector's scans (string keys cost the
// extractor a tenth of its speed), and a uint64 key hashes fastest.
func nameKey(word string) (uint64, bool) {
	if word == "" || len(word) > longestFirstName {
		return 0, false
	}
	var key uint64
	for i := 0; i < len(word); i++ {
		c := word[i] | 0x20 // ASCII lower case; no other byte lands in a–z
		if c < 'a' || c > 'z' {
			return 0, false
		}
		key = key*27 + uint64(c-'a'+1)
	}
	return key, true
}

// parseFirstNames reads a first-name table.
func parseFirstNames(tsv string) (map[uint64]gender, error) {
	names := make(map[uint64]gender, strings.Count(tsv, "\n"))
	for n := 1; tsv != ""; n++ {
		var line string
		line, tsv, _ = strings.Cut(tsv, "\n")
		if line == "" || line[0] == '#' {
			continue
		}
		name, sex, ok := strings.Cut(line, "\t")
		key, valid := nameKey(name)
		if !ok || !valid || name != strings.ToLower(name) {
			return nil, fmt.Errorf("extract: first names line %d: want 1 to %d lower-case letters, a tab and m or f, got %q", n, longestFirstName, line)
		}
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

// tableGender is the gender the first-name table gives a word, in either
// case, without allocating.
func tableGender(word string) gender {
	key, ok := nameKey(word)
	if !ok {
		return unknownGender
	}
	return keyGender(key)
}

// keyGender is the first-name table's gender for a nameKey.
func keyGender(key uint64) gender {
	table, err := firstNames()
	if err != nil {
		return unknownGender
	}
	return table[key]
}

// firstNameCacheBits sizes a firstNameCache: 8,192 slots, 64 KB. The
// benchmark's articles ask about some 900 words; at 2,048 slots, one slot
// a word, conflicts sent 400 lookups an operation to the table, each a
// cache miss or more, 2% of the extractor's time.
const firstNameCacheBits = 13

// firstNameCache is tableGender for the words an article asks about again
// and again (each name it writes, every time it writes it), kept in tens
// of kilobytes that stay in the processor's cache: the table's tens of
// thousands of entries cost a cache miss a lookup, 4% of the extractor's
// time. The table never changes, so neither does an answer, and a cache is
// never cleared: it lives with a doc's pooled buffers. A word that shares
// its pair of slots with two others displaces the one asked about longer
// ago.
//
// A slot holds a nameKey, never 0 for a name (0 marks an empty slot), with
// the gender in the two bits above it: a key is below 27^13 < 2^62.
type firstNameCache [1 << firstNameCacheBits]uint64

const (
	genderShift = 62
	nameKeyMask = 1<<genderShift - 1
)

// gender is tableGender(word); a nil cache asks the table every time.
func (c *firstNameCache) gender(word string) gender {
	key, ok := nameKey(word)
	if !ok {
		return unknownGender
	}
	if c == nil {
		return keyGender(key)
	}
	// Fibonacci hashing: a key's digits are its letters, and the multiply
	// spreads them over the slot bits. A key may sit in either slot of
	// its pair, so that two names an article keeps asking about that share
	// a pair do not keep displacing each other, and asking the table again.
	pair := c[(key*0x9E3779B97F4A7C15)>>(64-firstNameCacheBits)&^1:][:2]
	if pair[0]&nameKeyMask == key {
		return gender(pair[0] >> genderShift)
	}
	if pair[1]&nameKeyMask != key {
		// The slot asked about longer ago gives way.
		pair[1] = pair[0]
		pair[0] = key | uint64(keyGender(key))<<genderShift
		return gender(pair[0] >> genderShift)
	}
	return gender(pair[1] >> genderShift)
}
