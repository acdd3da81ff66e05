package topic

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
)

func TestDefaultAliasesParse(t *testing.T) {
	if _, err := parse(strings.NewReader(defaultAliases)); err != nil {
		t.Fatalf("embedded aliases.txt: %v", err)
	}
}

func TestTags(t *testing.T) {
	tagger := Default()
	tests := []struct {
		name                  string
		quote, context, title string
		want                  []string
	}{
		{
			name:  "aliases of one group meet",
			quote: "We will defeat ISIS, ISIL, Daesh, whatever they call themselves.",
			want:  []string{"Islamic State"},
		},
		{
			name:    "acronym alias only in capitals",
			quote:   "Let us talk to the US and to the U.S.A. about it.",
			context: "Us against them, he said.",
			want:    []string{"United States"},
		},
		{
			name:  "longest alias wins",
			quote: "The Islamic State of Iraq and the Levant is retreating.",
			want:  []string{"Islamic State"},
		},
		{
			name:  "lower-case alias anywhere",
			quote: "Global warming is not a hoax and the cease-fire must hold.",
			want:  []string{"Climate change", "Ceasefire"},
		},
		{
			name:    "titles are not part of names",
			context: "U.S. Secretary of State John Kerry met Russian Foreign Minister Sergei Lavrov and Mr. Putin.",
			want:    []string{"United States", "John Kerry", "Russia", "Sergei Lavrov", "Putin"},
		},
		{
			name:    "demonym in a longer name stays a name",
			context: "He flew British Airways to attend a Latin American summit.",
			want:    []string{"British Airways", "Latin American"},
		},
		{
			name:    "particles and of-names",
			context: "Ursula von der Leyen and Osama bin Laden; the Bank of England; Lavrov of Russia.",
			want:    []string{"Ursula von der Leyen", "Osama bin Laden", "Bank of England", "Lavrov", "Russia"},
		},
		{
			name:    "possessives and suffixes",
			context: "Russia's Foreign Ministry backed the Saudi-led coalition and Kremlin-backed groups.",
			want:    []string{"Russia", "Foreign Ministry", "Saudi Arabia", "Kremlin"},
		},
		{
			name:    "lone capital at a sentence start needs a mid-sentence capital",
			quote:   "Nobody wants this.",
			context: "Officials met. Geneva hosted them. Talks went on in Geneva.",
			want:    []string{"Geneva"},
		},
		{
			name:    "pronouns months days and I are skipped",
			context: "I told Kerry on Monday in January that He would come, said Kerry.",
			want:    []string{"Kerry"},
		},
		{
			name:    "dateline in capitals",
			context: "GENEVA (Reuters) — Diplomats from NATO arrived in GENEVA.",
			want:    []string{"Geneva", "NATO"},
		},
		{
			name:  "headline in title case yields aliases only",
			quote: "The talks must go on.",
			title: "Kerry Says Syria Talks With ISIL Must Go On",
			want:  []string{"Syria", "Islamic State"},
		},
		{
			name:  "names after a headline colon",
			title: "Syria talks: Kerry and Lavrov clash",
			want:  []string{"Syria", "Kerry", "Lavrov"},
		},
		{
			name:  "sentence-case headline yields names",
			quote: "The talks must go on.",
			title: "Talks in Geneva stall as Kerry leaves",
			want:  []string{"Geneva", "Kerry"},
		},
		{
			name:    "deduplicated folded in order quote context title",
			quote:   "Syria needs peace, said the man from Zürich.",
			context: "He spoke of SYRIA and of Zurich.",
			title:   "Peace in Syria",
			want:    []string{"Syria", "Zürich"},
		},
		{
			name:    "title case text is no name",
			context: "The banner read Never Again Will Syria Bow To Foreign Powers Or Their Puppets, said Kerry. He read The Rise And Fall Of The Third Reich.",
			want:    []string{"Syria", "Kerry"},
		},
		{
			name:  "shouting is no name",
			quote: "WE WILL NOT STOP IN SYRIA",
			want:  []string{"Syria"},
		},
		{
			name:    "a month ends a name",
			context: "Prime Minister Theresa May met Kerry in May.",
			want:    []string{"Theresa May", "Kerry"},
		},
		{
			name:    "a title inside a run is no part of the name after it",
			context: "U.S. Supreme Court Justice Antonin Scalia died; Candidate Trump spoke; said Del. Stacey Plaskett.",
			want:    []string{"Supreme Court", "Antonin Scalia", "Trump", "Stacey Plaskett"},
		},
		{
			name:  "a game show's title is no topic",
			quote: "We are not playing ‘Let’s Make a Deal,’ trading Ukraine for Syria",
			want:  []string{"Ukraine", "Syria"},
		},
		{
			name:    "adjectives, party and state, initials, generic words",
			context: "More anti-Trump than pro-Clinton, said Sen. Tim Kaine, D-Va., of the brothers Charles G. and David H. Koch, whose MBA the World admired.",
			want:    []string{"Tim Kaine", "David H. Koch"},
		},
		{
			name:    "institutions joined by on and for",
			context: "Nick Witney of the Council on Foreign Relations and the Association of Flight Attendants met the Center for American Progress.",
			want:    []string{"Nick Witney", "Council on Foreign Relations", "Association of Flight Attendants", "Center for American Progress"},
		},
		{
			name:    "a first name alone beside the full name",
			quote:   "Donald will not win.",
			context: "Donald will not win, she said of Donald Trump; Round 2 came; the 13th Amendment; African- Americans.",
			want:    []string{"Donald Trump", "United States"},
		},
		{
			name:    "adjectives before titles, dotted acronyms, adjectives of peoples",
			context: "Said Ellis: Interim DNC Chairwoman Donna Brazile met the E.P.A. and a Mexican-Peruvian voter.",
			want:    []string{"Ellis", "DNC", "Donna Brazile", "E.P.A."},
		},
		{
			name:    "and inside an institution's name",
			context: "Daryl Kimball of the Center for Strategic and International Studies, said Kerry and Lavrov and Obama and Justice Department officials.",
			want:    []string{"Daryl Kimball", "Center for Strategic and International Studies", "Kerry", "Lavrov", "Obama", "Justice Department"},
		},
		{
			name:    "plural titles and mojibake",
			context: "Sens. Tim Kaine and FranÃ§ois Hollande read the Times.",
			want:    []string{"Tim Kaine", "Hollande"},
		},
		{
			name:    "first names alone, contractions, shouting, state abbreviations",
			context: "I'm sure, said Larry. I’ll go, Bernie told Pence in Springfield, Va., and Kaine. NO, ALL said.",
			want:    []string{"Pence", "Springfield", "Kaine"},
		},
		{
			name:    "a title word ending an institution's name",
			context: "Malkia Cyril of the Center of Media Justice and the Carnegie Endowment for International Peace. Follow Pam Key on Twitter.",
			want:    []string{"Malkia Cyril", "Center of Media Justice", "Carnegie Endowment for International Peace", "Pam Key", "Twitter"},
		},
		{
			name:    "an agency's name with and, from the aliases; a surname that is also a given name",
			context: "The federal Securities and Exchange Commission sued, said Lamar Alexander. The S.E.C. and Alexander agreed.",
			want:    []string{"Securities and Exchange Commission", "Lamar Alexander", "Alexander"},
		},
		{
			name:    "a pageant title, an imperative",
			context: "Former Miss Universe Alicia Machado spoke. Notice Trump did not.",
			want:    []string{"Alicia Machado", "Trump"},
		},
		{
			name:    "a state before a party, a letter's salutation",
			context: "Charles Rangel, a New York Democrat, wired: Dear Jack, come home.",
			want:    []string{"Charles Rangel", "New York", "Democratic Party"},
		},
		{
			name:    "party names and adjectives are the party",
			context: "The Democratic nominee, Democrats and the GOP met a Republican; the Democratic National Committee did not.",
			want:    []string{"Democratic Party", "Republican Party", "Democratic National Committee"},
		},
		{
			name:    "a dateline in capitals is a place however short",
			context: "FLINT, Mich., Oct. 4 (UPI) — Bill Clinton spoke in FLINT.\nLOS ANGELES (AP) — The DCCC and NAACP met.",
			want:    []string{"Flint", "Bill Clinton", "Los Angeles", "DCCC", "NAACP"},
		},
		{
			name:    "capitals in a shouting sentence are no acronyms",
			context: "NOW OPEN at the mall. The LORD says TO HIS ANOINTED, CYRUS, to go. The FBI and NATO agreed.",
			want:    []string{"FBI", "NATO"},
		},
		{
			name:    "a quoted title is no name, but its host is",
			context: "Jon Meacham wrote ''Destiny and Power,'' she read “This Kind of War” and “Born to Run (Live 1975)”, said Christie on ABC's \"This Week with George Stephanopoulos.\"",
			want:    []string{"Jon Meacham", "Christie", "ABC", "George Stephanopoulos"},
		},
		{
			name:    "quoted speech in capitals is no title",
			context: "“He always whispered in my ear, ‘Billie Jean King, you are great,’” she said. Lyndon called it ‘The Way Forward’.",
			want:    []string{"Billie Jean King"},
		},
		{
			name:    "a label before a person's full name is no part of it",
			context: "Rival Hillary Clinton mocked Republican Donald Trump, working Crooked Hillary Clinton; Anne Marie Murphy, J. Michael Pearson and the Harvard Kennedy School.",
			want:    []string{"Hillary Clinton", "Republican Party", "Donald Trump", "Anne Marie Murphy", "J. Michael Pearson", "Harvard Kennedy School"},
		},
		{
			name:    "a second syllable of a given name stays, a suffix goes",
			context: "Ban Ki-moon met Park Geun-hye, Kim Jong-un and Saudi-led, Bush-era and Kremlin-backed A-list envoys.",
			want:    []string{"Ban Ki-moon", "Park Geun-hye", "Kim Jong-un", "Saudi Arabia", "Kremlin"},
		},
		{
			name:    "letters, time zones and TV are no topics",
			context: "Say X, Y and Z at 9 p.m. ET or 6 PT on TV and his DVR, Kerry said ASAP.",
			want:    []string{"Kerry"},
		},
		{
			name:    "a given name after another word is an epithet, unless of a place, a storm or a royal",
			context: "Crooked Hillary and Crazy Bernie met Team Hillary in San Jose after Hurricane Matthew; Queen Elizabeth, Larry David and Jane Kim came.",
			want:    []string{"San Jose", "Hurricane Matthew", "Queen Elizabeth", "Larry David", "Jane Kim"},
		},
		{
			name:    "more given names alone",
			context: "Marco and Reince told Carly that Newt, Jill and Callista would come, said Rubio.",
			want:    []string{"Rubio"},
		},
		{
			name:    "one word and an agency or a law joined by and",
			context: "Immigration and Customs Enforcement, the Family and Medical Leave Act, the IRS and Drug Enforcement Administration, Kerry and Lavrov.",
			want:    []string{"Immigration and Customs Enforcement", "Family and Medical Leave Act", "IRS", "Drug Enforcement Administration", "Kerry", "Lavrov"},
		},
		{
			name:    "a generation after a name keeps the label rule",
			context: "Navy SEAL Charles Keating IV died.",
			want:    []string{"Charles Keating IV"},
		},
		{
			name:    "a title ends no name, unless a surname or a subject",
			context: "The Texas Congressman and the Fox News Host met Amy Pope, Larry King and the New Hampshire Union Leader on Social Justice.",
			want:    []string{"Texas", "Fox News", "Amy Pope", "Larry King", "New Hampshire Union Leader", "Social Justice"},
		},
		{
			name:    "military titles and high commissioners",
			context: "Rear Adm. John Kirby and the United Nations High Commissioner spoke.",
			want:    []string{"John Kirby", "United Nations"},
		},
		{
			name:    "a joined name joins again",
			context: "Mark Dubowitz of the Foundation for Defense of Democracies spoke.",
			want:    []string{"Mark Dubowitz", "Foundation for Defense of Democracies"},
		},
		{
			name:    "mostly capitals is a slogan",
			context: "Hats read MAKE America GREAT AGAIN in Iowa.",
			want:    []string{"Iowa"},
		},
		{
			name:    "only particles and prefixes join a word to a capital",
			context: "His morning-in-America optimism, a post-World War II order and Bashar al-Assad.",
			want:    []string{"Bashar al-Assad"},
		},
		{
			name:    "state abbreviations, compass adjectives, the Libertarian",
			context: "In Concord, N.H., the Establishment and Western voters met the Libertarian nominee and Defense.",
			want:    []string{"Concord", "Libertarian Party"},
		},
		{
			name:    "an ampersand joins a name, a day ends one unless an alias",
			context: "Isaac Boltansky of Compass Point Research & Trading, P&G Amiens and Procter & Gamble spoke before Super Tuesday, said Kerry Tuesday.",
			want:    []string{"Isaac Boltansky", "Compass Point Research & Trading", "P&G Amiens", "Procter & Gamble", "Super Tuesday", "Kerry"},
		},
		{
			name:    "a party after a name, a party and a state spelled out",
			context: "The House Democratic leaders and Sen. Ted Cruz, R-Texas, planned D-Day.",
			want:    []string{"House", "Democratic Party", "Ted Cruz", "D-Day"},
		},
		{
			name:    "a hall of science",
			context: "The New York Hall of Science and the Naval Academy opened.",
			want:    []string{"New York Hall of Science", "Naval Academy"},
		},
		{
			name:    "a party before any name is a label, before an institution part of it",
			context: "Missouri Republican Roy Blunt, Ranking Democrat Dianne Feinstein, the Republican National Committee and the Democratic Governors Association met the Dems.",
			want:    []string{"Roy Blunt", "Dianne Feinstein", "Republican National Committee", "Democratic Governors Association", "Democratic Party"},
		},
		{
			name:    "a department before a cut title",
			context: "The Agriculture Secretary and the Labor Secretary spoke this Year.",
			want:    nil,
		},
		{
			name: "nothing",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tagger.Tags(tt.quote, tt.context, tt.title)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Tags(%q, %q, %q)\n got %q\nwant %q", tt.quote, tt.context, tt.title, got, tt.want)
			}
		})
	}
}

func TestTagsNameEndingContext(t *testing.T) {
	// The extractor cuts a long context between words, so a name that ends
	// one is whole.
	tests := []struct {
		context string
		want    []string
	}{
		{"“We will win,” ― Carlos Raúl", []string{"Carlos Raúl"}},
		{"The talks in Geneva went on and on, said Gennifer Flowers", []string{"Geneva", "Gennifer Flowers"}},
	}
	for _, tt := range tests {
		if got := Default().Tags("", tt.context, ""); !slices.Equal(got, tt.want) {
			t.Errorf("Tags(context %q)\n got %q\nwant %q", tt.context, got, tt.want)
		}
	}
}

func TestTagsBounded(t *testing.T) {
	var b strings.Builder
	for _, name := range []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett", "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango", "Uniform", "Victor", "Whiskey", "Yankee", "Zulu"} {
		b.WriteString("met " + name + ", ")
	}
	if got := Default().Tags("", b.String(), ""); len(got) != MaxTags {
		t.Errorf("Tags of 25 names returned %d topics, want %d: %q", len(got), MaxTags, got)
	}
}

func TestCanonical(t *testing.T) {
	tagger := Default()
	tests := []struct{ in, want string }{
		{"syria", "Syria"},
		{"SYRIA", "Syria"},
		{"isil", "Islamic State"},
		{"Daesh", "Islamic State"},
		{"u.s.", "United States"},
		{"us", "United States"},
		{"america", "United States"},
		{"türkiye", "Turkey"},
		{"nato", "NATO"},
		{"climate crisis", "Climate change"},
		{"  john   kerry ", "John Kerry"},
		{"bank of england", "Bank of England"},
		{"ursula von der leyen", "Ursula von der Leyen"},
		{"", ""},
		{"  ", ""},
	}
	for _, tt := range tests {
		if got := tagger.Canonical(tt.in); got != tt.want {
			t.Errorf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLoadReplacesDefaults(t *testing.T) {
	file := `# a newsroom's own list
Kyiv: Kiev, Київ
Zelenskyy: Zelensky, Zelenskiy, Volodymyr Zelenskyy

Syria
Climate change: global heating
`
	tagger, err := Load(strings.NewReader(file))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	tests := []struct {
		name, quote string
		want        []string
	}{
		{"user aliases", "Zelensky flew from Kiev to Київ.", []string{"Zelenskyy", "Kyiv"}},
		{"user lower-case alias", "This is global heating.", []string{"Climate change"}},
		{"default aliases gone", "The war against ISIL goes on in the U.S. and Syria.", []string{"ISIL", "U.S.", "Syria"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tagger.Tags(tt.quote, "", ""); !slices.Equal(got, tt.want) {
				t.Errorf("Tags(%q) = %q, want %q", tt.quote, got, tt.want)
			}
		})
	}
	if got, want := tagger.Canonical("zelenskiy"), "Zelenskyy"; got != want {
		t.Errorf("Canonical(zelenskiy) = %q, want %q", got, want)
	}
	if got, want := tagger.Canonical("isil"), "Isil"; got != want {
		t.Errorf("Canonical(isil) without the default aliases = %q, want %q", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"no name", ": ISIS", "line 1: no topic name before ':'"},
		{"alias claimed twice", "Islamic State: ISIS\nIsis goddess: ISIS", `line 2: "ISIS" already names "Islamic State"`},
		{"topic listed twice", "Syria\n\nsyria: Syrian", `line 3: topic "syria" is already listed as "Syria"`},
		{"alias without words", "Syria: Syrian, --", `line 1: alias "--" has no words`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load(%q) error = %v, want one containing %q", tt.file, err, tt.want)
			}
		})
	}
}

func FuzzTags(f *testing.F) {
	f.Add("We will defeat ISIS.", "U.S. Secretary of State John Kerry said in Geneva.", "Kerry Says Syria Talks Must Go On")
	f.Add("“Bank of the West,” said Ursula von der Leyen", "St. Louis — GENEVA (Reuters) Saudi-led al-Assad's", "a: B: C")
	f.Add("U.S.-", "'s", "-")
	tagger := Default()
	f.Fuzz(func(t *testing.T, quoteText, context, title string) {
		tags := tagger.Tags(quoteText, context, title)
		if len(tags) > MaxTags {
			t.Errorf("%d tags, more than MaxTags", len(tags))
		}
		seen := map[string]bool{}
		for _, tag := range tags {
			if tag == "" || strings.TrimSpace(tag) != tag || !utf8.ValidString(tag) && utf8.ValidString(quoteText+context+title) {
				t.Errorf("malformed tag %q", tag)
			}
			if seen[quote.Fold(tag)] {
				t.Errorf("tag %q twice in %q", tag, tags)
			}
			seen[quote.Fold(tag)] = true
		}
	})
}

func BenchmarkTags(b *testing.B) {
	tagger := Default()
	quote := "We will not allow ISIS to take root in Syria, and the United States stands with its partners."
	context := "U.S. Secretary of State John Kerry said in Geneva on Monday that Russia's Foreign Ministry had agreed. " + quote
	title := "Kerry Presses Russia On Syria Ceasefire"
	for b.Loop() {
		tagger.Tags(quote, context, title)
	}
}
