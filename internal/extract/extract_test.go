package extract

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsroom-tools/quotes/internal/quote"
)

func quoteTexts(qs []quote.Quote) []string {
	texts := make([]string, len(qs))
	for i, q := range qs {
		texts[i] = q.Text
	}
	return texts
}

// checkOffsets asserts the contract every result keeps: offsets inside the
// text, on the quoted bytes, sorted and not overlapping.
func checkOffsets(t *testing.T, text string, qs []quote.Quote) {
	t.Helper()
	prevEnd := 0
	for _, q := range qs {
		if q.Start < prevEnd || q.End < q.Start || q.End > len(text) {
			t.Fatalf("quote %q has span [%d,%d) after previous end %d in text of %d bytes", q.Text, q.Start, q.End, prevEnd, len(text))
		}
		if text[q.Start:q.End] != q.Text {
			t.Fatalf("text[%d:%d] = %q, want the quote's text %q", q.Start, q.End, text[q.Start:q.End], q.Text)
		}
		for _, s := range []*quote.Span{q.Evidence.Cue, q.Evidence.Mention} {
			if s != nil && (s.Start < 0 || s.End > len(text) || text[s.Start:s.End] != s.Text) {
				t.Fatalf("evidence span %+v does not match the text", *s)
			}
		}
		if q.Evidence.Confidence < 0 || q.Evidence.Confidence > 1 {
			t.Fatalf("confidence %v outside [0,1]", q.Evidence.Confidence)
		}
		prevEnd = q.End
	}
}

func TestQuoteSpans(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"straight double", `"We will win," he said.`, []string{"We will win,"}},
		{"curly double", "“We will win,” he said.", []string{"We will win,"}},
		{"guillemets", "«We will win,» he said.", []string{"We will win,"}},
		{"two apostrophes as marks", "''We will win,'' he said.", []string{"We will win,"}},
		{"apostrophes are not quotes",
			"He shouldn’t copy Russia’s style of the ’90s, the minister’s aide said. “Fine,” she said.",
			[]string{"Fine,"}},
		{"british single quotes",
			"‘We will win,’ the minister said. ‘Britain’s economy shouldn’t suffer.’ Critics disagreed.",
			[]string{"We will win,", "Britain’s economy shouldn’t suffer."}},
		{"nested single stays inside", "“He told me ‘no way’ and left,” she said.", []string{"He told me ‘no way’ and left,"}},
		{"nested double stays inside", `"He read the question: “Are you sure?” and laughed," she said.`,
			[]string{"He read the question: “Are you sure?” and laughed,"}},
		{"unclosed mark closes at paragraph end",
			"“We will win, he said.\n\nLater, Kerry said: “It is time.”",
			[]string{"We will win, he said.", "It is time."}},
		{"quote running over paragraphs",
			"Kerry said: “First part of it.\n\n“Second part of it.”\n\nThe talks ended.",
			[]string{"First part of it.", "Second part of it."}},
		{"broken by attribution", "“A is true,” she said, “and B is too.”", []string{"A is true,", "and B is too."}},
		{"so-called is a scare quote", "Kerry said the so-called “deal” was signed.", nil},
		{"film title", "They watched the film “Top Gun” on Tuesday.", nil},
		{"nickname", "He goes by “Shorty” in the neighbourhood.", nil},
		{"nickname inside a name", "Rep. Robert C. “Bobby” Scott spoke first.", nil},
		{"title case name", "The show “Meet the Press” aired late.", nil},
		{"two-word title at a sentence start", "“Broad City” star Arturo Castro turned the tables.", nil},
		{"title subject of a sentence", `"Sons of Trump" is an adaptation of a Spanish show.`, nil},
		{"quote as a subject", "“Top secret” is the highest level of classification, officials said.", nil},
		{"quote as a subject, one word", "“Containment” has been U.S. policy since 1950.", nil},
		{"a said sentence before a verb stays", "“We lost.” was all Kerry said.", []string{"We lost."}},
		{"title with its byline", "One of his reads, “This Kind of War,” by T.R. Fehrenbach, drove him.", nil},
		{"headline with its byline", "—“Met accused of whitewashing baby Jesus,” by the Post’s Kathianne Boniello.", nil},
		{"title with a subtitle", "Reporters read his book, “Crippled America: How to Make America Great Again,” for clues.", nil},
		{"slogan after a colon is said", "The ad said: “Chris Christie: Bad for New Jersey, bad for you.”",
			[]string{"Chris Christie: Bad for New Jersey, bad for you."}},
		{"transcript label is no title", "“PENCE: And that’s why Donald Trump is on his way,” he said.",
			[]string{"PENCE: And that’s why Donald Trump is on his way,"}},
		{"quote modifying a noun", "Firms must repay aid under her “clawback” plan, she said.", nil},
		{"quote modifying a noun after a year", "He got tax increases in the January 2013 “fiscal cliff” deal.", nil},
		{"a number after a quote is no noun", "Kerry said the deal was “a triumph” 12 hours after the talks.",
			[]string{"a triumph"}},
		{"a longer fragment before a noun is speech", "Kerry said he was “committed to bringing back” jobs.",
			[]string{"committed to bringing back"}},
		{"list of quoted terms", `They searched for words such as "ambassador," "attack," "Benghazi," "Libya" and "talking points."`, nil},
		{"label in marks", "Prices rose.\n\n\"Related:\"\n\nCandidates Reject A Wage Hike.", nil},
		{"programme told", `"We have to bomb them," Trump told "Fox and Friends" on Monday.`, []string{"We have to bomb them,"}},
		{"poster with its year", "The party campaigned hard.\n\n“Yes to minaret ban” (2009).", nil},
		{"term with its gloss", "“Refoulement” (forcible return) is forbidden by law.", nil},
		{"parenthesis after a full stop opens a sentence",
			"He said he held back because “no one can credibly state it, and I'll report it.” (Experts disagree.)",
			[]string{"no one can credibly state it, and I'll report it."}},
		{"term with a relative clause", "He would pay for it through “tax reform,” which he described as fair.", nil},
		{"ad with a relative clause", `It began with a Web ad, "Playing Trump," in which children bash a dollhouse.`, nil},
		{"title starting with a number", "Obama backed her up in an interview on CBS’ “60 Minutes.”", nil},
		{"title with a lowercase preposition", "In his autobiography, “A Time for Truth,” published in 2015, Cruz told the story.", nil},
		{"one-word title after its kind and a comma", "She spoke at a screening of her blockbuster film, “Trainwreck.”", nil},
		{"markup is not a quote", `<tweet id="123">Hello</tweet> “Fine,” she said.`, []string{"Fine,"}},
		{"markup attribute split over lines",
			"<tweet tweet-author=\"@ann\" tweet-date=\"May 9, 2016\n\">Stands empty.<tweet/>\n\n“Fine,” she said.",
			[]string{"Fine,"}},
		{"equals sign without markup", `x = "We will win," he said.`, []string{"We will win,"}},
		{"empty quote", `He said "" and left.`, nil},
		{"one lowercase word is a scare quote",
			"The State Department has said 2,093 of the emails held classified material, the vast majority of them rated \"confidential,\" the lowest level.", nil},
		{"a name given after as a",
			"Clinton won New Hampshire by sending what has been described as a “political army” into the state, Menino said.", nil},
		{"words someone dismissed something as",
			"Paul Manafort dismissed criticism of the remarks as “Clinton talking points.”", []string{"Clinton talking points."}},
		{"referred to as names a thing", "He was referred to as “the boss” by aides.", nil},
		{"title between commas", `The anti-Trump spot, "Trumpcare," links his support for universal coverage to Obama, the group said.`, nil},
		{"two-word title between commas", "He also stars in the Netflix thriller, “Blood Line,” and a PBS drama, his agent said.", nil},
		{"capitalised word between commas before its speech verb stays", "Asked about it, “Absolutely,” said Sanders.", []string{"Absolutely,"}},
		{"term with a gloss", "That meeting was part of “investor day,” an annual ritual for many companies, she said.", nil},
		{"words before a speaker with an article stay", "He told them to “go home now,” a source said.", []string{"go home now,"}},
		{"headline in capitals on its own line", "Cameron spoke on Monday.\n“DIVISIVE, STUPID AND WRONG”\nCameron will work with whoever wins.", nil},
		{"capitals inside a sentence stay", "Trump tweeted “GROWING PARTY,” and the crowd cheered.", []string{"GROWING PARTY,"}},
		{"excerpt followed by its link",
			"FAREWELL: the club will close, by Ben Sisario: \"The Living Room, a nightclub, will close at the end of December.\" http://nyti.ms/1U0Xvbm.", nil},
		{"bracketed source tag", "Polls are the only thing that give us an idea of where voters stand.“[HuffPost.]\n\nMore polls came out.", nil},
		{"bracketed words inside a quote stay", "“[Mexican citizens] don’t want to go [to the U.S.],” Calderon said.", []string{"[Mexican citizens] don’t want to go [to the U.S.],"}},
		{"one word of a headline", "‘Missing’ White Voters Might Help Trump, But Less So Where He Needs Them\n\nThe polls are out.", nil},
		{"one capitalised word before its speaker stays", "“Absolutely,” Sanders said.", []string{"Absolutely,"}},
		{"one word taking of is the speaker's word",
			"Obama urged leaders of the alliance to stand firm against Russia over its “seizure” of the peninsula.", []string{"seizure"}},
		{"one word someone called something stays",
			"Sanders called the committee's suspension \"arbitrary.\" Others agreed.", []string{"arbitrary."}},
		{"one word near its speech cue stays",
			"The plan may be \"strategic,\" said Jeffery Hemsley, a professor.", []string{"strategic,"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Extract(tt.text)
			checkOffsets(t, tt.text, got)
			if texts := quoteTexts(got); !slices.Equal(texts, tt.want) {
				t.Errorf("Extract(%q) quotes = %q, want %q", tt.text, texts, tt.want)
			}
		})
	}
}

func TestAttribution(t *testing.T) {
	const intro = "U.S. Secretary of State John Kerry met German Chancellor Angela Merkel in Moscow on Monday.\n\n"
	tests := []struct {
		name       string
		text       string
		quote      string
		want       string // speaker name
		kind       quote.SpeakerKind
		descriptor string
		mention    string
		partial    bool
	}{
		{"name said", intro + "“We will press on,” Kerry said.", "We will press on,", "John Kerry", quote.Person, "U.S. Secretary of State", "Kerry", false},
		{"title and surname", intro + "“We will press on,” Secretary Kerry said.", "We will press on,", "John Kerry", quote.Person, "Secretary", "Secretary Kerry", false},
		{"said name, title", "“Talks are over,” said Mark Toner, a State Department spokesman.", "Talks are over,", "Mark Toner", quote.Person, "a State Department spokesman", "Mark Toner", false},
		{"name said colon", "Mark Toner added: “Talks are over.”", "Talks are over.", "Mark Toner", quote.Person, "", "Mark Toner", false},
		{"said that", "Mark Toner said that “Talks are over.”", "Talks are over.", "Mark Toner", quote.Person, "", "Mark Toner", false},
		{"according to", "“Talks are over,” according to Mark Toner.", "Talks are over,", "Mark Toner", quote.Person, "", "Mark Toner", false},
		{"dash", "“Talks are over.” — Mark Toner", "Talks are over.", "Mark Toner", quote.Person, "", "Mark Toner", false},
		{"signature line under the quote", "“We will win the nomination.”\n\n- Bernie Sanders.", "We will win the nomination.", "Bernie Sanders", quote.Person, "", "Bernie Sanders", false},
		{"name and colon", "Polls were off in Iowa - Philip Bump: “The interplay has been important.”", "The interplay has been important.", "Philip Bump", quote.Person, "", "Philip Bump", false},
		{"appositive before verb", "Jane Doe, a doctor, said: “It is serious.”", "It is serious.", "Jane Doe", quote.Person, "a doctor", "Jane Doe", false},
		{"he by gender", intro + "“We will press on,” he added.", "We will press on,", "John Kerry", quote.Person, "U.S. Secretary of State", "he", false},
		{"she by gender", intro + "“We will press on,” she told reporters.", "We will press on,", "Angela Merkel", quote.Person, "German Chancellor", "she", false},
		{"adverb after verb", intro + "“No,” Kerry said flatly.", "No,", "John Kerry", quote.Person, "U.S. Secretary of State", "Kerry", false},
		{"inverted with adverb", intro + "“No,” said Kerry.", "No,", "John Kerry", quote.Person, "U.S. Secretary of State", "Kerry", false},
		{"name ending like an adverb", "“It is valuable,” said Skelly, explaining his view.", "It is valuable,", "Skelly", quote.Person, "", "Skelly", false},
		{"bare plural source", "“The harm is incalculable,” federal prosecutors wrote.", "The harm is incalculable,", "federal prosecutors", quote.Anonymous, "federal prosecutors", "federal prosecutors", false},
		{"inverted verb after a colon quote", "“It is valuable,” said Skelly, who praised his aide: “Vito is outstanding.”", "Vito is outstanding.", "Skelly", quote.Person, "who praised his aide", "Skelly", false},
		{"sentence subject before a participle", "Protesters marching through the streets chanted “What curfew?” until 2 a.m.", "What curfew?", "Protesters", quote.Anonymous, "Protesters", "Protesters", false},
		{"tweeted", "“Sad!” Donald Trump tweeted.", "Sad!", "Donald Trump", quote.Person, "", "Donald Trump", false},
		{"insisted", "“We are right,” Trump insisted on Tuesday.", "We are right,", "Trump", quote.Person, "", "Trump", false},
		{"organization", "“Moscow is ready,” the Kremlin said.", "Moscow is ready,", "Kremlin", quote.Organization, "", "the Kremlin", false},
		{"ministry in a statement", "Russia’s foreign ministry was angry. “This is unacceptable,” the ministry said in a statement.", "This is unacceptable,",
			"Russia’s foreign ministry", quote.Organization, "", "the ministry", false},
		{"state department", "“We disagree,” the State Department said.", "We disagree,", "State Department", quote.Organization, "", "the State Department", false},
		{"anonymous source", "“It isn't clear,” said one US intelligence official who spoke on condition of anonymity.", "It isn't clear,",
			"one US intelligence official", quote.Anonymous, "one US intelligence official who spoke on condition of anonymity", "one US intelligence official", false},
		{"the official refers back",
			"“It isn't clear,” said one US intelligence official who spoke on condition of anonymity.\n\n“He is wrong,” the official said.", "He is wrong,",
			"one US intelligence official", quote.Anonymous, "one US intelligence official who spoke on condition of anonymity", "the official", false},
		{"the spokesman refers back",
			"State Department spokesman John Kirby spoke on Monday. “We disagree,” the spokesman said.", "We disagree,",
			"John Kirby", quote.Person, "State Department spokesman", "the spokesman", false},
		{"quote with no cue follows the speaker's",
			"“We will press on,” Toner said. “There is no other way.”", "There is no other way.", "Toner", quote.Person, "", "Toner", false},
		{"quote in the next paragraph follows",
			"“We will press on,” Toner said.\n\n“There is no other way.”", "There is no other way.", "Toner", quote.Person, "", "Toner", false},
		{"second half of a broken quote", "“A is true,” she said, “and B is too.”", "and B is too.", "", quote.Unknown, "", "she", false},
		{"speaker named in the sentence before", "Mark Toner spoke after the meeting.\n\n“There is no other way.”", "There is no other way.", "Mark Toner", quote.Person, "", "Mark Toner", false},
		{"partial quote", intro + "Kerry called the plan “a total disaster” on Tuesday.", "a total disaster", "John Kerry", quote.Person, "U.S. Secretary of State", "Kerry", true},
		{"called right before the quote", "Trump attacked the accreditors, which he called “a cartel for higher education.”", "a cartel for higher education.", "Trump", quote.Person, "", "he", true},
		{"I inside the quote is not the speaker", "“I will go,” Toner said.", "I will go,", "Toner", quote.Person, "", "Toner", false},
		{"a titled surname keeps the article's gender for it",
			"President Obama said: “It is about me.”\n\n“We will win,” Mr. Obama said.\n\nThe campaign will use the first lady, Michelle Obama.", "It is about me.",
			"Obama", quote.Person, "President", "President Obama", false},
		{"a place after the name is not part of it", "“We will win,” said Senator Terry E. Branstad of Iowa.", "We will win,",
			"Terry E. Branstad", quote.Person, "Senator", "Senator Terry E. Branstad of Iowa", false},
		{"a description after an article names no one",
			"“Turnout matters,” said Jane Doe, a prominent New York Democrat. “It makes a difference.”", "It makes a difference.",
			"Jane Doe", quote.Person, "a prominent New York Democrat", "Jane Doe", false},
		{"a short name of an organisation named in full",
			"The New York Times reported the plan had failed.\n\n“The plan is dead,” the Times said in an editorial.", "The plan is dead,",
			"New York Times", quote.Organization, "", "the Times", false},
		{"a title word after a first name and an initial is a surname",
			"“It is not going to be easy,” said Representative Peter T. King of New York, who endorsed him.", "It is not going to be easy,",
			"Peter T. King", quote.Person, "Representative, who endorsed him", "Representative Peter T. King of New York", false},
		{"a person of an institute is the person", "“It is a mistake,” said James Pethokoukis of the American Enterprise Institute.", "It is a mistake,",
			"James Pethokoukis", quote.Person, "of the American Enterprise Institute", "James Pethokoukis of the American Enterprise Institute", false},
		{"a titled surname is the person the article keeps returning to",
			"Donald J. Trump spoke in Ohio. Mr. Trump was angry. His father, Fred Trump, built houses.\n\n“We will win,” Mr. Trump said.", "We will win,",
			"Donald J. Trump", quote.Person, "Mr.", "Mr. Trump", false},
		{"a relative clause between the subject and its verb",
			"Sandy Phillips, who lost her daughter Jessica Ghawi in Aurora, Colorado, in July 2012, said that he was rude.\n\n“He promised to meet us,” she said.", "He promised to meet us,",
			"Sandy Phillips", quote.Person, "who lost her daughter Jessica Ghawi in Aurora, Colorado, in July 2012", "she", false},
		{"a surname gives no gender: she is Rakeyia Scott",
			"Rakeyia Scott can be heard on the video as officers surround her husband.\n\n“Don't shoot him,” she says. “He has no weapon.”\n\nShe urges him to get out of the car.\n\n“Did you shoot him?” she yells as she walks along the street.\n\nOfficers kneel over him.\n\n“He better live,” she said.",
			"He better live,", "Rakeyia Scott", quote.Person, "", "she", false},
		{"a name before a role noun describes the source", "Donald Trump spoke in Ohio.\n\n“He is furious,” said one Trump confidant.", "He is furious,",
			"one Trump confidant", quote.Anonymous, "one Trump confidant", "one Trump confidant", false},
		{"a spokesman for someone is the spokesman", "Donald Trump spoke in Ohio.\n\n“We disagree,” said a spokesman for committee Democrats.", "We disagree,",
			"a spokesman for committee Democrats", quote.Anonymous, "a spokesman for committee Democrats", "a spokesman for committee Democrats", false},
		{"a person for an outlet is the person", "“The impact is small,” wrote Cameron Easley for Morning Consult.", "The impact is small,",
			"Cameron Easley", quote.Person, "for Morning Consult", "Cameron Easley for Morning Consult", false},
		{"a hometown apposition between the subject and its verb",
			"Johnnie Wilson, of Springfield, Va., said he had fought in Vietnam. “We have made major contributions,” he said.", "We have made major contributions,",
			"Johnnie Wilson", quote.Person, "of Springfield, Va.", "he", false},
		{"a participle opening the sentence is not its subject",
			"Donald Trump spoke in Ohio.\n\nChastened by the analyses, Trump revised his plan.\n\n“The relief will go to the middle class,” he said.", "The relief will go to the middle class,",
			"Donald Trump", quote.Person, "", "he", false},
		{"a person of an institution named with its adjective", "“It is a wave,” said Stu Rothenberg of the non-partisan Rothenberg-Gonzales Political Report.", "It is a wave,",
			"Stu Rothenberg", quote.Person, "of the non-partisan Rothenberg-Gonzales Political Report", "Stu Rothenberg of the non-partisan Rothenberg-Gonzales Political Report", false},
		{"an acronym of an organisation named in full",
			"The International Monetary Fund cut its forecast. Maury Obstfeld, the IMF chief economist, spoke.\n\n“Growth is weak,” the IMF said in its report.", "Growth is weak,",
			"International Monetary Fund", quote.Organization, "", "the IMF", false},
		{"a lone surname that is also a first name has no gender of its own",
			"The question is why it took so long for Clinton to use it, and her campaign knows it.\n\n“Why won't he release his tax returns?” she said.", "Why won't he release his tax returns?",
			"Clinton", quote.Person, "", "she", false},
		{"a surname takes the full name of the gender of the pronoun after it",
			"Dorothy Woods, whose husband, Ty Woods, was killed in Benghazi, spoke on Thursday.\n\nWoods said she does not blame them. “I would never wish it on anyone,” she told Hewitt.", "I would never wish it on anyone,",
			"Dorothy Woods", quote.Person, "", "she", false},
		{"an ad speaks for the organisation that paid for it", "The race tightened in Iowa.\n\n“Only one candidate can win,” says one Club for Growth ad.", "Only one candidate can win,",
			"Club for Growth", quote.Organization, "", "one Club for Growth ad", false},
		{"a surname with no title takes the gender of the pronoun after it, not of first-name lists",
			"Dr. Connie Mariano, the White House physician, spoke on Monday.\n\n“She did have a pain in her calf,” Mariano wrote, and she said no more.", "She did have a pain in her calf,",
			"Connie Mariano", quote.Person, "Dr.", "Mariano", false},
		{"a surname that lists take for a man's first name is still a surname",
			"Dr. Connie Mariano, the White House physician, spoke on Monday.\n\n“She did have a pain in her calf,” Mariano wrote.\n\nThe book came out in 2010.", "She did have a pain in her calf,",
			"Connie Mariano", quote.Person, "Dr.", "Mariano", false},
		{"a role then the name of the person in apposition", "“The program is worth a close look,” the White House spokesman, Josh Earnest, said on Thursday.", "The program is worth a close look,",
			"Josh Earnest", quote.Person, "the White House spokesman", "Josh Earnest", false},
		{"a role then a description in apposition stays the role", "“The program is worth a close look,” the spokesman, a former aide, said.", "The program is worth a close look,",
			"the spokesman", quote.Anonymous, "the spokesman, a former aide", "the spokesman", false},
		{"a first name opening a sentence is the woman named alone elsewhere",
			"Stephanie Jones visited a voter named Melanie last spring.\n\nJones wrote about the visit for months, and Jones said it changed her.\n\nMelanie thought the charges were outrageous.\n\n“It never crossed my mind,” she said.", "It never crossed my mind,",
			"Melanie", quote.Person, "", "she", false},
		{"the ad is the one named in the sentences before", "The race tightened in Ohio.\n\n“You work hard,” a narrator in the Clinton ad asks.\n\n“What does he think of you?” the ad’s narrator says.", "What does he think of you?",
			"Clinton campaign", quote.Organization, "", "the ad’s narrator", false},
		{"a surname takes the full name only the headline gives", "Hillary Clinton Goes After Donald Trump As The New Mitt Romney\n\n“I don’t buy that,” Clinton said.", "I don’t buy that,",
			"Hillary Clinton", quote.Person, "", "Clinton", false},
		{"a headline without a first name before the surname names no one", "Clinton Goes After Trump On Taxes\n\n“I don’t buy that,” Clinton said.", "I don’t buy that,",
			"Clinton", quote.Person, "", "Clinton", false},
		{"a surname of two words takes the full name", "Marine Le Pen leads the National Front.\n\n“We will win,” said Le Pen.", "We will win,",
			"Marine Le Pen", quote.Person, "", "Le Pen", false},
		{"a surname with a pronoun prefers the full name of that gender", "Dorothy Woods, whose husband, Navy SEAL Ty Woods, was killed, spoke on Monday.\n\nWoods said she was proud, and Woods added: “It is an honor.”", "It is an honor.",
			"Dorothy Woods", quote.Person, "", "Woods", false},
		{"no cue means unknown", "The weather was fine.\n\n“I think we will win.”", "I think we will win.", "", quote.Unknown, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Extract(tt.text)
			checkOffsets(t, tt.text, got)
			i := slices.IndexFunc(got, func(q quote.Quote) bool { return q.Text == tt.quote })
			if i < 0 {
				t.Fatalf("quote %q not extracted; got %q", tt.quote, quoteTexts(got))
			}
			q := got[i]
			sp := q.Speaker
			if sp.Name != tt.want || sp.Kind != tt.kind {
				t.Errorf("speaker = %q (%s), want %q (%s); rule %s", sp.Name, sp.Kind, tt.want, tt.kind, q.Evidence.Rule)
			}
			if sp.Descriptor != tt.descriptor {
				t.Errorf("descriptor = %q, want %q", sp.Descriptor, tt.descriptor)
			}
			if sp.Mention != tt.mention {
				t.Errorf("mention = %q, want %q", sp.Mention, tt.mention)
			}
			if q.Partial != tt.partial {
				t.Errorf("partial = %v, want %v", q.Partial, tt.partial)
			}
			if sp.Kind != quote.Unknown && (q.Evidence.Rule == "" || q.Evidence.Confidence <= 0) {
				t.Errorf("evidence %+v gives no rule or confidence for an attributed quote", q.Evidence)
			}
		})
	}
}

func TestAnonymousSourceStructure(t *testing.T) {
	text := "“It isn't clear,” said a senior US official who spoke on condition of anonymity."
	got := Extract(text)
	if len(got) != 1 {
		t.Fatalf("got %d quotes, want 1", len(got))
	}
	sp := got[0].Speaker
	if sp.Affiliation != "US" || sp.Role != "official" {
		t.Errorf("affiliation, role = %q, %q; want \"US\", \"official\"", sp.Affiliation, sp.Role)
	}
}

func TestBrokenQuoteSharesSpeaker(t *testing.T) {
	text := "Angela Merkel spoke in Moscow.\n\n“A is true,” she said, “and B is too.”"
	got := Extract(text)
	if len(got) != 2 {
		t.Fatalf("got %q, want two quotes", quoteTexts(got))
	}
	for _, q := range got {
		if q.Speaker.Name != "Angela Merkel" {
			t.Errorf("quote %q: speaker %q, want \"Angela Merkel\"", q.Text, q.Speaker.Name)
		}
	}
}

func TestRunOnQuoteSharesSpeaker(t *testing.T) {
	text := "Toner said: “First part of it.\n\n“Second part of it.”"
	got := Extract(text)
	if len(got) != 2 {
		t.Fatalf("got %q, want two quotes", quoteTexts(got))
	}
	if got[0].Speaker.Name != "Toner" || got[1].Speaker.Name != "Toner" {
		t.Errorf("speakers = %q, %q; want Toner for both", got[0].Speaker.Name, got[1].Speaker.Name)
	}
	if got[1].Evidence.Rule != ruleRunsOn {
		t.Errorf("second part rule = %q, want %q", got[1].Evidence.Rule, ruleRunsOn)
	}
}

func TestContext(t *testing.T) {
	text := "The talks ended. “We will press on,” Kerry said on Friday. Nothing else happened."
	got := Extract(text)
	if len(got) != 1 {
		t.Fatalf("got %d quotes, want 1", len(got))
	}
	if want := "“We will press on,” Kerry said on Friday."; got[0].Context != want {
		t.Errorf("context = %q, want %q", got[0].Context, want)
	}
	long := "“" + strings.Repeat("word ", 200) + "end,” Kerry said."
	got = Extract(long)
	if len(got) != 1 || len(got[0].Context) > maxContext {
		t.Fatalf("long quote: got %d quotes, context of %d bytes; want 1 quote and at most %d bytes", len(got), len(got[0].Context), maxContext)
	}
	// A trimmed context starts and ends with whole words.
	long = "Before it all, Gennifer Flowers spoke. “" + strings.Repeat("wording ", 60) + "end,” said Gennifer Flowers of Little Rock, who had " + strings.Repeat("nothing more ", 30) + "to say."
	got = Extract(long)
	if len(got) != 1 {
		t.Fatalf("long quote: got %d quotes, want 1", len(got))
	}
	words := strings.Fields(got[0].Context)
	if first, last := words[0], words[len(words)-1]; !strings.Contains(long, " "+first+" ") || !strings.Contains(long, " "+last+" ") {
		t.Errorf("context %q starts with %q and ends with %q; want whole words", got[0].Context, first, last)
	}
}

func TestNoQuotes(t *testing.T) {
	for _, text := range []string{"", "Nothing quoted here.", "Russia’s ’90s were hard, weren’t they?"} {
		if got := Extract(text); len(got) != 0 {
			t.Errorf("Extract(%q) = %q, want no quotes", text, quoteTexts(got))
		}
	}
}

func TestNamedInQuote(t *testing.T) {
	d := newDoc("Jane Roe spoke.\n\n“Trump’s plan is wrong, and Mr. trumpet knows it,” Roe said.")
	tests := []struct {
		name string
		want bool
	}{
		{"Donald Trump", true}, // capitalised in the quote, "’s" after it
		{"Jane Roe", false},
		{"Al Gore", false}, // too short a surname to tell
		{"Tom Plan", true},
		{"Ann Trumpe", false},
	}
	for _, tt := range tests {
		if got := d.surnameInQuote(0, lastWord(tt.name)); got != tt.want {
			t.Errorf("surnameInQuote(%q) = %v, want %v", lastWord(tt.name), got, tt.want)
		}
	}
}

func TestStartsSentence(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"Joe Biden rubbished the claim. “No,” he said.", true},
		{"Repeating his speech, Joe Biden rubbished the claim. “No,” he said.", true},
		{"In Scranton on Tuesday, Joe Biden mocked him. “No,” he said.", true},
		{"The crowd cheered as Joe Biden spoke. “No,” he said.", false},
		{"Voters in Ohio, Iowa and Texas, Joe Biden and others. “No,” he said.", false},
		{"Repeating his speech, Joe Biden and Jill Biden left. “No,” he said.", false},
	}
	for _, tt := range tests {
		d := newDoc(tt.text)
		i := slices.IndexFunc(d.mentions, func(m mention) bool { return m.name == "Joe Biden" })
		if i < 0 {
			t.Fatalf("%q: no mention of Joe Biden in %+v", tt.text, d.mentions)
		}
		if got := d.startsSentence(d.mentions[i]); got != tt.want {
			t.Errorf("%q: startsSentence(Joe Biden) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestLatestSubject checks which candidate of a text's last quote is the
// entity that opened the latest sentence before it.
func TestLatestSubject(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"Joe Biden rubbished Donald Trump’s claim. “Malarkey,” he said.", "Joe Biden"},
		{"Joe Biden spoke in Ohio. Donald Trump rubbished the claim. “Malarkey,” he said.", "Donald Trump"},
		{"Donald Trump spoke in Ohio. The crowd cheered Joe Biden. “Malarkey,” he said.", "Donald Trump"},
		{"Repeating his speech, Joe Biden mocked Donald Trump. “Malarkey,” he said.", "Joe Biden"},
		{"The crowd cheered as Joe Biden spoke. “Malarkey,” he said.", ""},
	}
	for _, tt := range tests {
		d := newDoc(tt.text)
		_, kept, attrs := d.attributeAll()
		if len(kept) == 0 {
			t.Fatalf("%q: no quote", tt.text)
		}
		r := d.newResolver(attrs)
		ctx := r.quoteContext(kept[len(kept)-1], attrs)
		got := ""
		for _, c := range r.candidates(ctx) {
			if slices.Contains(c.features, featureOf(gLatestSubject, int(ctx.mention))) {
				got = c.speaker.Name
			}
		}
		if got != tt.want {
			t.Errorf("%q: latest subject %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestObjectRole(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"Joe Biden rubbished the claim.", -1},
		{"Voters rubbished Joe Biden’s claim.", 0},
		{"Voters rubbished Joe Biden's claim.", 0},
		{"The DNC moved against Joe Biden on Saturday.", 1},
		{"The claim of Joe Biden was false.", 1},
		{"The crowd cheered Joe Biden.", -1},
		{"They pressed groups like Islamic State and the Joe Biden.", 1},
		{"They pressed groups like the Democrats, Ohio and Joe Biden.", -1},
	}
	for _, tt := range tests {
		d := newDoc(tt.text + " “No,” he said.")
		i := slices.IndexFunc(d.mentions, func(m mention) bool { return m.name == "Joe Biden" })
		if i < 0 {
			t.Fatalf("%q: no mention of Joe Biden in %+v", tt.text, d.mentions)
		}
		m := d.mentions[i]
		if got := d.objectRole(entityRef{from: m.tok, to: m.end}); got != tt.want {
			t.Errorf("%q: objectRole(Joe Biden) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

// TestRuleSpeaker checks the rules' answer, before the ranker weighs it,
// where a document speaks (the owner the article gives it), or a
// sentence-opening phrase, a town or a description stands where the
// speaker's name is usually written.
func TestRuleSpeaker(t *testing.T) {
	tests := []struct {
		name, text, want string
		kind             quote.SpeakerKind
	}{
		{"an editorial in a newspaper", "Sen. Chuck Grassley defended Donald Trump on Tuesday.\n\n“There are invertebrates with more spine,” reads a Wednesday editorial in The Des Moines Register.",
			"Des Moines Register", quote.Organization},
		{"a report released by, named sentences before", "Donald Trump spoke in Iowa.\n\nA report released in September by the Pew Research Center noted the trend. Voters agreed.\n\n“Immigrants are integrating,” the report concluded.",
			"Pew Research Center", quote.Organization},
		{"the email the campaign sent out", "Bernie Sanders won New Hampshire.\n\nThe Clinton campaign sent out an email appeal that looked ahead. “We need everyone,” the email said.",
			"Clinton campaign", quote.Organization},
		{"his campaign is the campaign of the man he is", "Bernie Sanders spoke in Ohio on Monday.\n\nOn Saturday, his campaign sent out a fundraising email. “We grow stronger,” the email said.",
			"Bernie Sanders campaign", quote.Organization},
		{"a statement with no owner named is the latest speaker's", "Sen. Chuck Grassley said he would hold hearings.\n\n“We will act,” the statement said.",
			"Chuck Grassley", quote.Person},
		{"an opening adverb phrase is no name", "Back in 1999, Mr. Trump praised Mr. Clinton, telling CNBC: “I wish I could be like that.”",
			"Trump", quote.Person},
		{"an opening number phrase is no name", "Al Sharpton spoke on Monday.\n\nEight years ago, Sharpton endorsed Barack Obama: “Hillary Clinton has never done nothing for us.”",
			"Al Sharpton", quote.Person},
		{"the town the speaker lives in is no speaker", "“I just don't think she's been truthful,” Cecelia Purner, 67, a retired teacher in Allentown, Pa., said.",
			"Cecelia Purner", quote.Person},
		{"the editorial board of the paper it names", "Nikki Haley spoke on Tuesday.\n\n“Are we talking about the same Nikki Haley?” the Wall Street Journal's editorial board writes.",
			"Wall Street Journal", quote.Organization},
		{"the editorial board of the newspaper named before", "The Union Leader, New Hampshire's largest newspaper, has run a string of editorials.\n\n“Cruz had a chance to stand up,” the editorial board wrote.",
			"Union Leader", quote.Organization},
		{"an age description is the person last named", "Melania Trump spoke on Monday night. The former model defended her husband.\n\n“Donald is an amazing leader,” said the 46-year-old.",
			"Melania Trump", quote.Person},
		{"the company is the organisation just named", "Business Insider also commented on Weiner's future.\n\n“We are sorry to hear about it,” the company said in a statement.",
			"Business Insider", quote.Organization},
		{"a person of an organisation named in capitals", "Of course, as Joel Pollak of Breitbart California observed, the biggest victor was the stage itself:\n\n“The clear winner of the debate was the network.”",
			"Joel Pollak", quote.Person},
		{"the role before a place is the person with that role", "Sen. Bernie Sanders spoke in Iowa on Monday.\n\n“It is corrupt,” said the senator from Vermont.",
			"Bernie Sanders", quote.Person},
		{"a person described by no role is an anonymous source", "The skate park was loud when a young boy shouted, “Brujas coming, yo!”",
			"a young boy", quote.Anonymous},
		{"a crowd speaks as one", "Donald Trump asked who would pay for the wall.\n\n“Mexico!” the crowd shouted.",
			"the crowd", quote.Anonymous},
		{"what an unnamed source knows describes the source", "Donald Trump surged in August.\n\n“That’s why Trump surged,” said a person close to the Clintons.",
			"a person", quote.Anonymous},
		{"what an unnamed source knows, before the verb", "Donald Trump surged in August.\n\n“That’s why Trump surged,” a source familiar with the talks said.",
			"a source", quote.Anonymous},
		{"someone of a party, unnamed", "Bernie Sanders won Iowa.\n\n“The energy is his,” said one well-connected Democrat familiar with the campaign.",
			"one well-connected Democrat", quote.Anonymous},
		{"the platform after on is no speaker", "Donald Trump won Georgia.\n\nTrump posted a message on Twitter reading “Thank you, Georgia!” moments after polls closed.",
			"Donald Trump", quote.Person},
		{"a dateline is no subject", "WASHINGTON, Dec. 8 (UPI) — Huma Abedin rallied supporters, saying: “We have to be ready to stop him.”",
			"Huma Abedin", quote.Person},
		{"the newspaper just named", "The Wall Street Journal weighed in on Monday.\n\n“He needs to stop blaming everyone else,” the conservative-leaning newspaper wrote.",
			"Wall Street Journal", quote.Organization},
		{"an opening time phrase is no name", "Sheldon Adelson praised Donald Trump on Sunday.\n\nHours later, Donald Trump returned the compliment, telling Reuters: “He is an amazing man.”",
			"Donald Trump", quote.Person},
		{"the unnamed source the article introduced", "Ebeling and her husband were greeted by an organizer at a field office.\n\n“You guys are gonna be the most effective messengers,” the organizer told them.",
			"the organizer", quote.Anonymous},
		{"a definite role with no antecedent stays unknown", "Ebeling and her husband were greeted at a field office.\n\n“You guys are gonna be the most effective messengers,” the organizer told them.",
			"", quote.Unknown},
		{"a one-word place after in is nobody he can be", "Donald Trump has blasted the media.\n\nWhile he was speaking with the press in Miami on Wednesday, he said, “It’s been 235 days.”",
			"Donald Trump", quote.Person},
		{"a name in an opening participle clause is nobody he can be", "Asked whether Donald Trump could win, John Kerry demurred.\n\n“There is just one science,” he said.",
			"John Kerry", quote.Person},
		{"a person opening a sentence is whom he can be, whatever the first name", "Angel Mendoza came from Texas to a rally.\n\nAt the rally, the Democrats spoke.\n\n“This is still my family,” he said.",
			"Angel Mendoza", quote.Person},
		{"a person in apposition to a short opening role is whom he can be", "The rally drew a crowd.\n\nOne voter, Guadalupe Potocacetpl, 35, showed up early.\n\n“I met a lot of Bernie supporters,” he said.",
			"Guadalupe Potocacetpl", quote.Person},
		{"an opening word taken into a name is nobody she can be", "Hillary Clinton spoke in Philadelphia.\n\nFollowing Sanders' victory, she softened her tone.\n\n“I did not put down conditions,” she said.",
			"Hillary Clinton", quote.Person},
		{"a sentence opening with he names others than he", "John Kerry, a Navy veteran, said Clinton should be ready. He attended the rally, though he may vote for Vermont Sen. Bernie Sanders.\n\n“It is all guns blazing,” he said.",
			"John Kerry", quote.Person},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if sp := rulesSpeaker(t, tt.text); sp.Name != tt.want || sp.Kind != tt.kind {
				t.Errorf("rules' speaker = %q (%s), want %q (%s)", sp.Name, sp.Kind, tt.want, tt.kind)
			}
		})
	}
}

// rulesSpeaker is the rules' speaker, before the ranker weighs it, of the
// one quote in text.
func rulesSpeaker(t *testing.T, text string) quote.Speaker {
	t.Helper()
	d := newDoc(text)
	defer d.release()
	out, _, _ := d.attributeAll()
	if len(out) != 1 {
		t.Fatalf("got %d quotes, want 1", len(out))
	}
	return out[0].Speaker
}
