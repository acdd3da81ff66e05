package extract

import (
	_ "embed"
	"strings"
)

// placesText is every country, capital and US state by name, one per line;
// infra/places/build.sh makes it from npm packages.
//
//go:embed places.txt
var placesText string

// places holds placesText's names, as written.
var places = buildPlaces(placesText)

func buildPlaces(text string) map[string]bool {
	set := map[string]bool{}
	for line := range strings.Lines(text) {
		if name := strings.TrimSpace(line); name != "" {
			set[name] = true
		}
	}
	return set
}

// stateAbbreviations are the AP-style and postal abbreviations of US
// states, as a dateline or an address writes them after a town
// ("Allentown, Pa.").
var stateAbbreviations = map[string]bool{
	"Ala.": true, "Ariz.": true, "Ark.": true, "Calif.": true, "Colo.": true, "Conn.": true,
	"Del.": true, "Fla.": true, "Ga.": true, "Ill.": true, "Ind.": true, "Kan.": true,
	"Ky.": true, "La.": true, "Md.": true, "Mass.": true, "Mich.": true, "Minn.": true,
	"Miss.": true, "Mo.": true, "Mont.": true, "Neb.": true, "Nev.": true, "N.H.": true,
	"N.J.": true, "N.M.": true, "N.Y.": true, "N.C.": true, "N.D.": true, "Okla.": true,
	"Ore.": true, "Pa.": true, "R.I.": true, "S.C.": true, "S.D.": true, "Tenn.": true,
	"Vt.": true, "Va.": true, "Wash.": true, "W.Va.": true, "Wis.": true, "Wyo.": true,
	"D.C.": true,
}

// isPlace reports whether name, as written, is a country, capital or US
// state, or a state's abbreviation. It runs on every name the article
// writes, most of them no place: placeShapes turns most away before the
// maps hash them.
func isPlace(name string) bool {
	return name != "" && placeShapes.has(name) && (places[name] || stateAbbreviations[name])
}

// nameShapes is a set of names' shapes: their first and last bytes' low
// five bits and their length's low three. A name whose shape is absent is
// not in the set the shapes were taken from; one whose shape is present
// may be.
type nameShapes [1 << 13 / 64]uint64

func shapeBit(name string) uint {
	return uint(name[0]&31)<<8 | uint(name[len(name)-1]&31)<<3 | uint(len(name)&7)
}

func (s *nameShapes) add(name string) {
	bit := shapeBit(name)
	s[bit/64] |= 1 << (bit % 64)
}

// has reports whether a name, not empty, may be in the set.
func (s *nameShapes) has(name string) bool {
	bit := shapeBit(name)
	return s[bit/64]&(1<<(bit%64)) != 0
}

// placeShapes holds the shapes of places' and stateAbbreviations' names.
var placeShapes = func() (s nameShapes) {
	for name := range places {
		s.add(name)
	}
	for name := range stateAbbreviations {
		s.add(name)
	}
	return s
}()

// isTownBeforeState reports whether the capitalised run ending at token
// to-1 is followed by a comma and a state ("Allentown, Pa.", "Cambridge,
// Massachusetts"): a town, not a person.
func (d *doc) isTownBeforeState(to int) bool {
	if !d.isPunct(to, ',') || !d.isWord(to+1) {
		return false
	}
	next := d.word(to + 1)
	if stateAbbreviations[next] || places[next] {
		return true
	}
	// An abbreviation's final period may be a token of its own.
	return d.isPunct(to+2, '.') && stateAbbreviations[next+"."]
}

// placeSuffix reports whether w, a name's last word as written, ends the
// names of streets, buildings and grounds ("Hermenegildo Galeana Street",
// "Yankee Stadium", "Trump Tower"), and whether it always does: those that
// are also surnames ("Celinda Lake", "Arsenio Hall") name a place only when
// the name's first word is no first name. A switch, not a map: it is asked
// of every person's name.
func placeSuffix(w string) (always, ok bool) {
	switch w {
	case "Street", "Avenue", "Boulevard", "Road", "Square", "Plaza", "Stadium", "Arena", "Coliseum",
		"Airport", "Towers", "Gardens", "County", "Heights":
		return true, true
	case "Tower", "Park", "Garden", "Bridge", "Hall", "Lake", "Beach", "Valley", "Island", "Mall", "Hook":
		return false, true
	}
	return false, false
}

// isPlaceName reports whether name, a person's as the capitals give it, is
// a place: isPlace's, or a street's, building's or ground's by its last
// word.
func (d *doc) isPlaceName(name string) bool {
	if isPlace(name) {
		return true
	}
	i := strings.LastIndexByte(name, ' ')
	if i < 0 {
		return false
	}
	always, ok := placeSuffix(name[i+1:])
	return ok && (always || d.tableGender(firstWord(name)) == unknownGender && classOf(firstWord(name))&(maleName|femaleName) == 0)
}
