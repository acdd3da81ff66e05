package extract

import (
	"slices"
	"testing"
)

// TestPeopleNamed checks which capitalised words name people: not places,
// rubrics or towns, but a first name alone mid-sentence.
func TestPeopleNamed(t *testing.T) {
	tests := []struct {
		text string
		want []string // the people named, in order
	}{
		{"Bernie Sanders won New Hampshire on Tuesday.", []string{"Bernie Sanders"}},
		{"Cecelia Purner of Allentown, Pa., voted for Jane Doe.", []string{"Cecelia Purner", "Jane Doe"}},
		{"Nick Daniloff, who lives in Cambridge, Massachusetts, met Jane Doe.", []string{"Nick Daniloff", "Jane Doe"}},
		{"Chad Smith met Georgia Jones in Jordan.", []string{"Chad Smith", "Georgia Jones"}},
		{"The woman identified herself as a resident named Caroline.", []string{"Caroline"}},
		{"FULL TEXT.\n\nHe has called China provocative.", nil},
	}
	for _, tt := range tests {
		// A quote, for the article to be read at all.
		d := newDoc(tt.text + " “Yes,” she said.")
		var got []string
		for _, m := range d.mentions {
			if m.kind == "person" {
				got = append(got, m.name)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("people in %q = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestEmbeddedPlaces(t *testing.T) {
	for _, name := range []string{"New Hampshire", "North Korea", "Moscow", "District of Columbia", "Pa."} {
		if !isPlace(name) {
			t.Errorf("isPlace(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"Hillary Clinton", "New York Times", "Pa"} {
		if isPlace(name) {
			t.Errorf("isPlace(%q) = true, want false", name)
		}
	}
}

func TestIsPlaceFilterKeepsEveryPlace(t *testing.T) {
	for name := range places {
		if !isPlace(name) {
			t.Errorf("isPlace(%q) = false", name)
		}
	}
	for name := range stateAbbreviations {
		if !isPlace(name) {
			t.Errorf("isPlace(%q) = false", name)
		}
	}
	for _, name := range []string{"", "Donald Trump", "Paris Hilton", "Pa", "Georgia ", "georgia"} {
		if isPlace(name) {
			t.Errorf("isPlace(%q) = true", name)
		}
	}
}
