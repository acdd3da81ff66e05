package extract

import (
	"slices"
	"testing"

	"github.com/newsroom-tools/quotes/internal/quote"
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
		if got := mentionNames(tt.text, quote.Person); !slices.Equal(got, tt.want) {
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

// TestEntityNames checks the names mentions resolve to: places by their
// last word, two-word surnames, names before a possessive.
func TestEntityNames(t *testing.T) {
	tests := []struct {
		text string
		want []string // the people named, in order
	}{
		// Streets, buildings and grounds are no people; a surname that is
		// also a place word ("Lake") is, after a first name.
		{"Jane Doe lives on Hermenegildo Galeana Street near Yankee Stadium.", []string{"Jane Doe"}},
		{"Jane Doe met Trump Tower guards and Celinda Lake.", []string{"Jane Doe", "Celinda Lake"}},
		// A surname of two words is the full name written before.
		{"Marine Le Pen spoke first. Then Le Pen left.", []string{"Marine Le Pen", "Marine Le Pen"}},
		{"Jim Yong Kim spoke first. Nominates Jim Yong Kim is a headline.", []string{"Jim Yong Kim", "Nominates Jim Yong Kim"}},
		// A generational suffix does not hide the surname.
		{"Joseph R. Biden Jr. spoke first. Then Biden said he would go.", []string{"Joseph R. Biden Jr", "Joseph R. Biden Jr"}},
		// After a first name, a capitalised function word or verb is a
		// surname.
		{"The party won, said Al From, who founded the council. Columnist George Will agreed.", []string{"Al From", "George Will"}},
		// A no-break space inside a name is a space.
		{"Stu\u00a0Burguiere spoke first. Then Burguiere said he would go.", []string{"Stu Burguiere", "Stu Burguiere"}},
		// A possessive before a role names its owner.
		{"Donald Trump’s campaign hired Jane Doe. Then Trump said he would go.", []string{"Donald Trump", "Jane Doe", "Donald Trump"}},
		{"The Trump campaign hired Jane Doe.", []string{"Jane Doe"}},
		// "of" after a first name's or an honorific's name starts where
		// the person is from; in other runs it belongs to the name.
		{"Joel Pollak of Breitbart California wrote it. Mr. Nevins of Showtime agreed.", []string{"Joel Pollak", "Nevins"}},
		{"Gen. Joseph F. Dunford Jr., chairman of the Joint Chiefs of Staff, agreed.", []string{"Joseph F. Dunford Jr"}},
		// An owner, or a role before a first name, describes the person.
		{"American Action Forum’s Douglas Holtz-Eakin agreed with Journalist Jorge Ramos.", []string{"Douglas Holtz-Eakin", "Jorge Ramos"}},
		// An organisation word after a first name of the lexicon is a
		// surname, and so is that word alone later on.
		{"Michael Bloomberg met Atlantic City Mayor Don Guardian. Then Bloomberg said he would go.", []string{"Michael Bloomberg", "Don Guardian", "Michael Bloomberg"}},
		{"George Washington University and the Clinton Foundation hired Jane Doe.", []string{"Jane Doe"}},
		// A Korean name writes its family name first, and alone later.
		{"Secretary-General Ban Ki-moon spoke first. Then Ban said he would go.", []string{"Ban Ki-moon", "Ban Ki-moon"}},
		// The pronoun after a possessive is seldom its owner's.
		{"Hillary Clinton met Bernie Sanders.\n\nClinton suggested that Sanders's plan was unserious, she said.",
			[]string{"Hillary Clinton", "Bernie Sanders", "Hillary Clinton", "Bernie Sanders"}},
	}
	for _, tt := range tests {
		if got := mentionNames(tt.text, quote.Person); !slices.Equal(got, tt.want) {
			t.Errorf("people in %q = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// mentionNames are the names of the mentions of kind ("" for every kind)
// the extractor finds in text, followed by a quote for the article to be
// read at all.
func mentionNames(text string, kind quote.SpeakerKind) []string {
	d := newDoc(text + " “Yes,” she said.")
	defer d.release()
	var names []string
	for _, m := range d.mentions {
		if kind == "" || m.kind == kind {
			names = append(names, m.name)
		}
	}
	return names
}

// TestLocativeEntities checks that a name the article writes as a place
// ("in Orlando") is no candidate speaker, while a person is.
func TestLocativeEntities(t *testing.T) {
	tests := []struct {
		text string
		want []string // the entities, in order
	}{
		{"The shooting in Orlando shocked Jane Doe. Orlando mourned.", []string{"Jane Doe"}},
		{"Jane Doe spoke at Yale on Monday.", []string{"Jane Doe"}},
		{"Jane Doe vowed to win back territory in the Middle East.", []string{"Jane Doe"}},
		// The place the rules took for a speaker in a description.
		{"Akhil Amar teaches law.\n\n“It is bad,” said the professor of constitutional law at Yale.", []string{"Akhil Amar", "Jane Doe"}},
		// A gender, or a speech verb, makes a person.
		{"Jane Doe met Orlando at noon. Orlando said he was tired.", []string{"Jane Doe", "Orlando"}},
	}
	for _, tt := range tests {
		d := newDoc(tt.text + "\n\n“Yes,” Jane Doe said.")
		_, _, attrs := d.attributeAll()
		var index foldedNumbers
		index.reset()
		var got []string
		for _, e := range d.collectEntities(attrs, &index) {
			got = append(got, e.name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("entities in %q = %q, want %q", tt.text, got, tt.want)
		}
		d.release()
	}
}

// TestOrganisationNames checks the organisations' names the capitals
// give: "of", "for" and "on" after an organisation word, the list its
// name holds, a speech verb inside a name.
func TestOrganisationNames(t *testing.T) {
	tests := []struct {
		text string
		want []string // the mentions' names, in order
	}{
		{"A report by the National Academies of Sciences, Engineering and Medicine noted the gap.",
			[]string{"National Academies of Sciences, Engineering and Medicine"}},
		{"The House Committee on Science, Space and Technology met in private.",
			[]string{"House Committee on Science, Space and Technology"}},
		{"The Center for American Progress wrote to the Department of Health and Human Services.",
			[]string{"Center for American Progress", "Department of Health and Human Services"}},
		{"The House Select Committee on Benghazi met.", []string{"House Select Committee on Benghazi"}},
		{"Adm. Harry B. Harris Jr. leads the United States Pacific Command.", []string{"Harry B. Harris Jr", "United States Pacific Command"}},
		// Organisation words before a word no first name, with no title.
		{"The Daily Beast reported it, and Campaign Chairman Podesta agreed.", []string{"Daily Beast", "Podesta"}},
		// No list after a first name, and no name after a weekday.
		{"The Department of Justice and Hillary Clinton agreed.", []string{"Department of Justice", "Hillary Clinton"}},
		{"The Senate on Tuesday heard Jane Doe.", []string{"Senate", "Jane Doe"}},
	}
	for _, tt := range tests {
		if got := mentionNames(tt.text, ""); !slices.Equal(got, tt.want) {
			t.Errorf("names in %q = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestGroupNames checks which names are a group's, not a person's.
func TestGroupNames(t *testing.T) {
	for name, want := range map[string]bool{
		"Germans": true, "Latino Republicans": true, "Other Democrats": true, "African Americans": true,
		"Rand Paul": false, "Bernie Sanders": false, "Democrats'": false, "Republican": false, "Dennis Ross": false,
	} {
		if got := isGroupName(name); got != want {
			t.Errorf("isGroupName(%q) = %v, want %v", name, got, want)
		}
	}
}
