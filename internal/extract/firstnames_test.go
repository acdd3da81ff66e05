package extract

import (
	"strings"
	"testing"
)

func TestEmbeddedFirstNames(t *testing.T) {
	if _, err := firstNames(); err != nil {
		t.Fatalf("firstnames.tsv: %v (regenerate it with bash infra/gender/build.sh)", err)
	}
	table, err := parseFirstNames(embeddedFirstNames)
	if err != nil {
		t.Fatalf("firstnames.tsv: %v", err)
	}
	lines := 0
	for _, line := range strings.Split(embeddedFirstNames, "\n") {
		if line != "" && line[0] != '#' {
			lines++
		}
	}
	if len(table) != lines {
		t.Errorf("firstnames.tsv: %d distinct names from %d lines; want one line per name", len(table), lines)
	}
	if len(table) < 10000 {
		t.Errorf("firstnames.tsv holds %d names, want at least 10,000", len(table))
	}
	count := map[gender]int{}
	for _, g := range table {
		count[g]++
	}
	if count[male] < 5000 || count[female] < 5000 {
		t.Errorf("firstnames.tsv: %d male and %d female names, want thousands of each", count[male], count[female])
	}
}

func TestParseFirstNames(t *testing.T) {
	tests := []struct {
		name    string
		tsv     string
		want    map[string]gender
		wantErr string
	}{
		{name: "comments and blank lines", tsv: "# source\n\nann\tf\nbob\tm\n", want: map[string]gender{"ann": female, "bob": male}},
		{name: "no final newline", tsv: "ann\tf", want: map[string]gender{"ann": female}},
		{name: "no tab", tsv: "ann f\n", wantErr: "line 1"},
		{name: "unknown gender", tsv: "# x\nann\tx\n", wantErr: "line 2"},
		{name: "upper case", tsv: "Ann\tf\n", wantErr: "lower-case"},
		{name: "not a letter", tsv: "jean-claude\tm\n", wantErr: "line 1"},
		{name: "too long", tsv: strings.Repeat("a", longestFirstName+1) + "\tf\n", wantErr: "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFirstNames(tt.tsv)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseFirstNames(%q) err = %v, want one containing %q", tt.tsv, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseFirstNames(%q): %v", tt.tsv, err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("parseFirstNames(%q) = %v, want %v", tt.tsv, got, tt.want)
			}
			for name, g := range tt.want {
				key, _ := nameKey(name)
				if got[key] != g {
					t.Errorf("parseFirstNames(%q)[%q] = %d, want %d", tt.tsv, name, got[key], g)
				}
			}
		})
	}
}

func TestNameKey(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"ann", "ANN", true},
		{"Hillary", "hillary", true},
		{"ann", "anna", false},
		{"ab", "ba", false},
		{"z", "aa", false},
		{"zzzzzzzzzzzzz", "aaaaaaaaaaaaa", false},
	}
	for _, tt := range tests {
		a, okA := nameKey(tt.a)
		b, okB := nameKey(tt.b)
		if !okA || !okB {
			t.Fatalf("nameKey(%q) ok = %t, nameKey(%q) ok = %t, want both true", tt.a, okA, tt.b, okB)
		}
		if (a == b) != tt.same {
			t.Errorf("nameKey(%q) = %d, nameKey(%q) = %d; same = %t, want %t", tt.a, a, tt.b, b, a == b, tt.same)
		}
	}
	for _, word := range []string{"", "jean-claude", "o'brien", "josé", "a1", "@", "[", strings.Repeat("a", longestFirstName+1)} {
		if key, ok := nameKey(word); ok {
			t.Errorf("nameKey(%q) = %d, true; want no key", word, key)
		}
	}
}

func TestTableGender(t *testing.T) {
	tests := []struct {
		word string
		want gender
	}{
		{"donald", male},
		{"Hillary", female},
		{"ANGELA", female},
		{"Vladimir", male},
		{"Mahmoud", male},
		{"Theresa", female},
		{"Emmanuel", male},
		{"Sergei", male},
		{"Kamala", female},
		{"Marine", female},
		// Too mixed between the sexes to say.
		{"Taylor", unknownGender},
		{"Jordan", unknownGender},
		{"Kim", unknownGender},
		{"Dana", unknownGender},
		// East Asian surnames, written first: Lu Kang, Park Geun-hye.
		{"Lu", unknownGender},
		{"Park", unknownGender},
		// Corrected for the person the news means.
		{"Lindsey", male},
		{"Bibi", male},
		{"Aung", female},
		// Not names.
		{"Xyzzyq", unknownGender},
		{"", unknownGender},
		{"Supercalifragilistic", unknownGender},
		{"José", unknownGender},
	}
	for _, tt := range tests {
		if got := tableGender(tt.word); got != tt.want {
			t.Errorf("tableGender(%q) = %d, want %d", tt.word, got, tt.want)
		}
	}
}

func TestFirstNameGender(t *testing.T) {
	tests := []struct {
		word          string
		opensFullName bool
		want          gender
	}{
		// The table speaks for the first word of a full name only: a lone
		// word is as often a surname (Elizabeth Warren).
		{"Warren", true, male},
		{"Warren", false, unknownGender},
		{"Clinton", false, unknownGender},
		// Where the table is silent the hand lists decide.
		{"Bernie", true, male},
		{"Kim", true, male},
		{"Recep", true, male},
		{"King", false, male},
		{"Hillary", false, female},
		// The hand lists give Nancy both genders; the table knows better.
		{"Nancy", true, female},
		{"Nancy", false, unknownGender},
		{"Elaine", true, female},
	}
	for _, tt := range tests {
		if got := firstNameGender(nil, tt.word, classOf(tt.word), tt.opensFullName); got != tt.want {
			t.Errorf("firstNameGender(%q, opensFullName=%t) = %d, want %d", tt.word, tt.opensFullName, got, tt.want)
		}
	}
}

func TestNameGender(t *testing.T) {
	tests := []struct {
		name string
		want Gender
	}{
		{"Nancy Pelosi", Female},
		{"Antonin Scalia", Male},
		{"Merrick Garland", Male},
		{"Dena Smith", Female},
		{"  Loretta Lynch ", Female},
		{"Jordan Peterson", ""},
		{"Lu Kang", ""},
		{"Lindsey Graham", Male},
		{"Warren", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NameGender(tt.name); got != tt.want {
			t.Errorf("NameGender(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestTableGenderAllocatesNothing(t *testing.T) {
	tableGender("warm up")
	allocs := testing.AllocsPerRun(100, func() {
		tableGender("Hillary")
		tableGender("Xyzzyq")
	})
	if allocs != 0 {
		t.Errorf("tableGender allocates %.1f times a call, want none", allocs)
	}
}

// The cache answers as the table does, whatever words displace each other
// in its slots.
func TestFirstNameCacheAgreesWithTable(t *testing.T) {
	var words []string
	for _, line := range strings.Split(embeddedFirstNames, "\n") {
		if name, _, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(line, "#") {
			words = append(words, name, strings.ToUpper(name[:1])+name[1:], name+"x")
		}
	}
	words = append(words, "", "O'Neil", "Lindsey", "a-very-long-name-indeed", "José")
	var cache firstNameCache
	for pass := range 2 {
		for _, w := range words {
			if got, want := cache.gender(w), tableGender(w); got != want {
				t.Fatalf("pass %d: cache.gender(%q) = %d, table %d", pass, w, got, want)
			}
		}
	}
}

// A firstNameCache slot keeps the gender above the key's bits.
func TestNameKeysLeaveRoomForTheGender(t *testing.T) {
	key, ok := nameKey(strings.Repeat("z", longestFirstName))
	if !ok || key&^nameKeyMask != 0 {
		t.Errorf("the longest name's key %d reaches bit %d", key, genderShift)
	}
}
