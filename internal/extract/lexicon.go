package extract

import (
	"strings"
	"unicode/utf8"
)

// wordClass is a set of grammatical roles a word can play in attribution.
type wordClass uint32

const (
	speechVerb wordClass = 1 << iota
	// reportVerb introduces reported speech that may contain a fragment
	// quote (called it "a disaster") but never a full one.
	reportVerb
	adverb
	auxiliary
	timeWord
	pronoun
	determiner
	indefinite
	title
	orgHead
	roleNoun
	documentNoun
	nameCue
	clauseWord
	abbreviation
	maleName
	femaleName
	nameParticle
	commonCapital
)

// speechLemmas are the verbs that introduce direct speech, in their base
// form; inflect derives the other forms.
var speechLemmas = []string{
	"say", "tell", "add", "insist", "warn", "tweet", "write", "argue", "ask",
	"stress", "emphasize", "emphasise", "note", "recall", "explain", "declare",
	"continue", "reply", "claim", "state", "announce", "respond", "remark",
	"comment", "observe", "suggest", "admit", "acknowledge", "concede",
	"confirm", "deny", "assert", "contend", "maintain", "predict", "promise",
	"vow", "pledge", "urge", "caution", "complain", "lament", "joke", "quip",
	"boast", "exclaim", "shout", "yell", "scream", "whisper", "murmur",
	"mutter", "sigh", "laugh", "chant", "counter", "retort",
	"agree", "testify", "recount", "conclude", "reiterate", "repeat", "demand",
	"allege", "reason", "muse", "opine", "proclaim", "concur",
	"interject", "clarify", "elaborate", "mention", "blast", "slam", "tout",
	"read", "begin", "sing", "cry", "answer", "wonder", "advise",
	"assure", "pray", "plead", "inform", "rail", "fume", "gush", "chide",
	"scoff", "snap", "thunder",
	"instruct", "recommend", "relate", "summarize", "summarise", "describe",
	"point", "go", "put",
	"quote", "cite", "accuse", "criticize", "criticise", "attack", "mock",
	"praise", "thank", "welcome", "caution", "challenge", "object", "protest",
	"rebut", "report", "react", "bark", "riff", "shoot", "fire",
	"hit", "push", "chime", "weigh", "chat", "gripe", "grumble", "beg",
	"wail", "rant", "vent", "spell",
}

// reportLemmas introduce words a writer paraphrases or labels: quotes after
// them are fragments inside reported speech.
var reportLemmas = []string{
	"call", "dub", "label", "brand", "term", "deem", "characterize",
	"characterise", "decry", "denounce", "dismiss", "hail", "refer", "blame",
}

var irregularForms = map[string][]string{
	"say":   {"said"},
	"tell":  {"told"},
	"write": {"wrote", "written"},
	"read":  {"read"},
	"begin": {"began", "begun"},
	"sing":  {"sang", "sung"},
	"go":    {"went", "gone"},
	"put":   {"put"},
	"cry":   {"cried", "cries"},
	"reply": {"replied", "replies"},
	"deny":  {"denied", "denies"},
	"snap":  {"snapped", "snapping"},
	"quip":  {"quipped", "quipping"},
	"refer": {"referred", "referring"},
	"dub":   {"dubbed", "dubbing"},
	"label": {"labelled", "labelling"},
	"rebut": {"rebutted"},
	"admit": {"admitted", "admitting"},
	"shoot": {"shot"},
	"hit":   {"hitting"},
	"fire":  {"fired"},
	"chat":  {"chatted", "chatting"},
	"plead": {"pled"},
}

// inflect returns the regular inflections of an English verb.
func inflect(base string) []string {
	forms := []string{base}
	switch {
	case strings.HasSuffix(base, "e"):
		stem := base[:len(base)-1]
		forms = append(forms, base+"s", base+"d", stem+"ing")
	case strings.HasSuffix(base, "y") && !strings.HasSuffix(base, "ay") && !strings.HasSuffix(base, "ey"):
		stem := base[:len(base)-1]
		forms = append(forms, stem+"ies", stem+"ied", base+"ing")
	case strings.HasSuffix(base, "s") || strings.HasSuffix(base, "sh") || strings.HasSuffix(base, "ch") || strings.HasSuffix(base, "x"):
		forms = append(forms, base+"es", base+"ed", base+"ing")
	default:
		forms = append(forms, base+"s", base+"ed", base+"ing")
	}
	return append(forms, irregularForms[base]...)
}

var lexicon = newLexiconTable(buildLexicon())

func buildLexicon() map[string]wordClass {
	m := make(map[string]wordClass, 2048)
	add := func(class wordClass, words ...string) {
		for _, w := range words {
			m[w] |= class
		}
	}
	for _, lemma := range speechLemmas {
		add(speechVerb, inflect(lemma)...)
	}
	for _, lemma := range reportLemmas {
		add(reportVerb, inflect(lemma)...)
	}
	add(adverb, "also", "later", "then", "again", "once", "further", "just",
		"yesterday", "today", "tonight", "now", "simply", "previously", "earlier",
		"recently", "afterward", "afterwards", "too", "even", "still", "soon",
		"first", "last", "often", "never", "always", "not", "already", "ago",
		"privately", "publicly", "separately", "instead", "herself", "himself",
		"themselves", "itself", "here", "there", "back", "up", "on", "out")
	add(auxiliary, "has", "had", "have", "was", "is", "were", "are", "will",
		"would", "could", "can", "did", "does", "do", "may", "might", "should",
		"be", "been", "being", "must", "shall", "went", "goes", "reportedly",
		"has", "had")
	add(timeWord, "monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday", "morning", "afternoon", "evening", "night",
		"week", "month", "year", "weekend", "today", "yesterday", "tonight",
		"earlier", "later", "last", "this", "on", "late", "early", "day")
	add(pronoun, "he", "she", "they", "it", "i", "we", "you")
	add(determiner, "the", "a", "an", "this", "that", "these", "those", "his",
		"her", "its", "their", "our", "my", "your", "one", "two", "three",
		"four", "five", "several", "some", "another", "many", "few", "multiple",
		"numerous", "other", "both", "all", "each", "most", "no")
	add(indefinite, "a", "an", "one", "two", "three", "four", "five",
		"several", "some", "another", "many", "few", "multiple", "numerous",
		"other", "both", "most")
	add(title, "president", "secretary", "senator", "sen", "rep", "representative", "del", "delegate",
		"gov", "governor", "chancellor", "minister", "prime", "foreign", "spokesman",
		"spokeswoman", "spokesperson", "gen", "general", "dr", "mr", "mrs", "ms",
		"miss", "chairman", "chairwoman", "chair", "director", "chief", "judge",
		"justice", "ambassador", "attorney", "speaker", "leader", "sheriff",
		"mayor", "pope", "king", "queen", "prince", "princess", "lt", "col", "sgt",
		"adm", "admiral", "commissioner", "deputy", "vice", "assistant", "former",
		"candidate", "nominee", "host", "anchor", "professor", "prof", "rev",
		"reverend", "father", "sir", "lord", "lady", "dame", "ceo", "founder",
		"executive", "manager", "coach", "captain", "capt", "officer", "agent",
		"detective", "lawyer", "pastor", "rabbi", "imam", "cardinal", "bishop",
		"archbishop", "superintendent", "treasurer", "comptroller", "auditor",
		"secretary-general", "state", "defense", "defence", "interior", "homeland",
		"security", "national", "democratic", "republican", "democrat", "gop",
		"presidential", "independent", "libertarian", "green", "american",
		"russian", "u.s.", "us", "u.s", "german", "french", "british", "chinese",
		"syrian", "iranian", "ukrainian", "turkish", "israeli", "palestinian",
		"egyptian", "saudi", "iraqi", "afghan", "pakistani", "indian", "japanese",
		"korean", "mexican", "canadian", "european", "eu", "un", "nato", "u.n.",
		"uk", "u.k.", "mexican-american", "lawmaker", "congressman",
		"congresswoman", "rep.", "sen.", "gov.", "first", "vice-president",
		"strategist", "pollster", "economist", "analyst", "commentator",
		"author", "columnist", "editor", "reporter", "correspondent", "chairperson",
		"head", "commander", "premier", "emir", "sheikh", "ayatollah", "house",
		"majority", "minority", "whip", "campaign", "manager", "adviser", "advisor",
		"aide", "press", "white", "top", "senior", "gop", "councilman",
		"councilwoman", "delegate", "activist", "businessman", "businesswoman",
		"billionaire", "actor", "actress", "singer", "rapper", "comedian",
		"moderator", "surrogate", "coordinator", "counsel", "general's",
		"ex", "acting", "interim", "incoming", "outgoing", "then-")
	add(orgHead, "department", "ministry", "kremlin", "house", "pentagon",
		"committee", "campaign", "party", "agency", "council", "commission",
		"office", "times", "post", "news", "journal", "reuters", "network",
		"register", "tribune", "herald", "gazette", "chronicle", "inquirer",
		"foundation", "institute", "association", "union", "group", "court",
		"bureau", "service", "administration", "senate", "congress", "government",
		"embassy", "police", "university", "company", "corporation", "corp",
		"inc", "fund", "bank", "organization", "organisation", "coalition",
		"alliance", "army", "military", "navy", "parliament", "assembly",
		"cabinet", "center", "centre", "pac", "cnn", "fbi", "cia", "nato",
		"msnbc", "fox", "ap", "afp", "tass", "ria", "interfax", "dnc", "rnc",
		"nbc", "abc", "cbs", "npr", "bbc", "politico", "breitbart", "huffpost",
		"tribune", "herald", "gazette", "magazine", "press", "caucus", "club",
		"council", "board", "authority", "commission", "ministry", "watch",
		"institution", "federation", "league", "society", "team", "staff",
		"spokesperson's", "state", "council", "forces", "force", "guard",
		"unit", "directorate", "secretariat", "mission", "delegation",
		"movement", "front", "trust", "project", "initiative", "reform",
		"industries", "firm", "co", "llc", "ltd", "plc", "group's", "daily",
		"weekly", "review", "monitor", "observer", "express", "telegraph",
		"guardian", "independent", "insider", "hill", "axios", "bloomberg",
		"wikileaks", "twitter", "facebook", "google", "microsoft", "apple",
		"college", "school", "academy", "academies", "command", "hospital", "church",
		"laboratory", "corps", "airlines", "airways", "motors", "media",
		"museum", "library", "studios", "partners", "associates", "holdings",
		"enterprises", "technologies", "systems", "exchange", "reserve",
		"treasury", "marines", "partnership", "consortium", "xinhua", "kyodo",
		"yonhap")
	add(roleNoun, "official", "officials", "source", "sources", "spokesman",
		"spokeswoman", "spokesperson", "spokespeople", "aide", "aides", "adviser",
		"advisers", "advisor", "advisors", "diplomat", "diplomats", "officer",
		"officers", "lawmaker", "lawmakers", "analyst", "analysts", "expert",
		"experts", "person", "people", "staffer", "staffers", "insider",
		"insiders", "member", "members", "strategist", "strategists", "operative",
		"ally", "allies", "friend", "executive", "executives", "employee",
		"confidant", "confidants", "loyalist", "loyalists", "donor", "donors",
		"employees", "resident", "residents", "witness", "witnesses", "voter",
		"voters", "supporter", "supporters", "protester", "protesters",
		"representative", "observer", "observers", "critic", "critics",
		"activist", "activists", "organizer", "commander", "negotiator",
		"investigator", "investigators", "minister", "ministers", "senator",
		"senators", "congressman", "congresswoman", "leader", "leaders",
		"president", "secretary", "chairman", "director", "governor", "mayor",
		"candidate", "nominee", "lawyer", "attorney", "doctor", "man", "woman",
		"announcer", "narrator", "host", "businessman", "billionaire", "pollster",
		"economist", "professor", "reporter", "journalist", "writer", "author",
		"student", "worker", "farmer", "veteran", "father", "mother", "officer",
		"agent", "scientist", "researcher", "manager", "chief", "general",
		"ambassador", "envoy", "judge", "prosecutor", "attendee", "delegate",
		"commentator", "columnist", "editor", "correspondent", "surrogate",
		"moderator", "chancellor", "premier", "king", "queen", "pope", "boy",
		"girl", "teenager", "commenter", "commenters", "user", "users", "fan",
		"fans", "neighbor", "customer", "parent", "parents", "crowd", "audience")
	add(documentNoun, "statement", "release", "report", "letter", "email",
		"memo", "tweet", "post", "document", "transcript", "message", "communique",
		"readout", "notice", "filing", "complaint", "lawsuit", "ad",
		"advertisement", "video", "article", "piece", "editorial", "column",
		"survey", "poll", "study", "website", "page", "note", "text", "book",
		"order", "ruling", "decision", "affidavit", "indictment", "motion",
		"brief", "guidance", "emails", "tweets", "petition", "resolution",
		"story", "headline", "caption", "spot", "commercial", "speech", "op-ed",
		"memorandum", "announcement", "bulletin", "analysis", "sign", "banner")
	add(nameCue, "so-called", "nicknamed", "titled", "entitled",
		"named", "film", "movie", "book", "song", "album", "show", "series",
		"documentary", "novel", "headline", "term", "word", "words", "phrase",
		"slogan", "hashtag", "label", "nickname", "motto", "catchphrase",
		"program", "programme", "play", "musical", "episode", "column", "op-ed",
		"segment", "magazine", "newspaper", "poem", "track", "single", "hit", "classic",
		"tagline", "moniker", "title", "autobiography", "memoir", "biography", "known", "by", "as", "mantra")
	add(clauseWord, "that", "and", "but", "as", "when", "while", "because",
		"if", "after", "before", "since", "so", "which", "who", "where", "whom",
		"whose", "though", "although", "than", "or", "nor", "yet", "until",
		"unless", "whether", "to", "in", "on", "during", "with", "without",
		"about", "into", "over", "under", "by", "like", "how", "what", "why",
		"not", "then", "also", "just", "even", "only", "however", "meanwhile",
		"instead", "there", "here", "later", "now")
	add(abbreviation, "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt",
		"col", "sgt", "st", "jr", "sr", "inc", "co", "corp", "no", "vs", "prof",
		"rev", "capt", "adm", "cmdr", "ft", "mt", "jan", "feb", "aug", "sept",
		"sep", "oct", "nov", "dec", "etc", "approx", "dept", "univ", "ave",
		"blvd", "calif", "fla", "ill", "mass", "mich", "minn", "pa", "tenn",
		"tex", "va", "wash", "wis", "ala", "ariz", "ark", "colo", "conn", "del",
		"ga", "ind", "kan", "ky", "la", "md", "mo", "mont", "neb", "nev", "okla",
		"ore", "vt", "wyo", "esq", "gens", "reps", "sens", "govs", "messrs",
		"ltd", "bros", "fig", "vol", "op", "ed", "pp")
	add(maleName, maleNames...)
	add(femaleName, femaleNames...)
	add(nameParticle, "de", "del", "della", "der", "van", "von", "al", "al-",
		"bin", "ibn", "la", "le", "da", "di", "du", "dos", "das", "ben", "abu",
		"mc", "st", "y", "jr", "sr", "ii", "iii", "iv")
	add(commonCapital, "the", "a", "an", "in", "on", "at", "for", "but", "and",
		"or", "so", "if", "when", "while", "after", "before", "since", "as",
		"though", "although", "yet", "this", "that", "these", "those", "it",
		"he", "she", "they", "we", "i", "you", "his", "her", "their", "our",
		"its", "my", "your", "there", "here", "what", "why", "how", "who",
		"where", "which", "some", "many", "most", "all", "no", "not", "one",
		"two", "three", "to", "from", "with", "by", "of", "about", "during",
		"under", "over", "meanwhile", "however", "still", "also", "then",
		"now", "today", "yesterday", "monday", "tuesday", "wednesday",
		"thursday", "friday", "saturday", "sunday", "january", "february",
		"march", "april", "may", "june", "july", "august", "september",
		"october", "november", "december", "according", "asked", "said",
		"despite", "instead", "unlike", "like", "last", "next", "every",
		"each", "both", "either", "neither", "another", "such", "even",
		"only", "just", "more", "less", "much", "because", "until", "unless",
		"whether", "than", "both", "let", "do", "does", "did", "is", "are",
		"was", "were", "will", "would", "can", "could", "should", "has",
		"have", "had", "mr", "mrs", "ms", "dr", "yes", "oh", "well", "please",
		"thank", "thanks", "dear", "hello", "hi", "ok", "okay", "sure",
		"indeed", "perhaps", "maybe", "first", "second", "third", "finally",
		"later", "earlier", "once", "again", "after", "photo", "video",
		"read", "related", "watch", "see", "share", "click", "via", "source",
		"update", "updated", "breaking", "exclusive", "editor's", "note",
		"outside", "inside", "along", "likewise", "among", "across", "amid",
		"around", "behind", "beyond", "within", "without", "throughout",
		"toward", "towards", "upon", "whereas", "otherwise", "overall",
		"signs", "speaking", "appearing", "asked", "writing", "here's",
		"that's", "what's", "it's", "there's", "so", "while", "during")
	return m
}

var maleNames = []string{
	"john", "barack", "vladimir", "sergei", "sergey", "donald", "bernie",
	"ted", "marco", "jeb", "ben", "chris", "mike", "michael", "paul", "mitch",
	"rand", "rick", "bill", "william", "george", "joe", "joseph", "tim",
	"timothy", "mark", "james", "jim", "robert", "bob", "richard", "david",
	"thomas", "tom", "charles", "daniel", "dan", "matthew", "matt", "anthony",
	"tony", "steven", "steve", "stephen", "andrew", "kevin", "brian", "edward",
	"ed", "ronald", "ron", "jason", "jeff", "jeffrey", "gary", "eric", "scott",
	"jonathan", "larry", "frank", "justin", "brandon", "raymond", "gregory",
	"greg", "samuel", "sam", "patrick", "pat", "jack", "dennis", "jerry",
	"tyler", "aaron", "henry", "peter", "adam", "nathan", "douglas", "zachary",
	"kyle", "walter", "harold", "jeremy", "ethan", "carl", "keith", "roger",
	"gerald", "christian", "terry", "sean", "arthur", "austin", "noah",
	"lawrence", "jesse", "bryan", "billy", "bruce", "gabriel", "logan",
	"alan", "juan", "wayne", "roy", "ralph", "randy", "eugene", "vincent",
	"russell", "louis", "philip", "phil", "bobby", "johnny", "bradley",
	"newt", "reince", "corey", "kellyanne", "rudy", "rudolph", "lindsey",
	"harry", "chuck", "nancy", "elijah", "al", "jesse", "reed", "howard",
	"dick", "colin", "hank", "ash", "martin", "angus", "lamar", "orrin",
	"bashar", "recep", "tayyip", "benjamin", "bibi", "xi", "kim", "fidel",
	"raul", "hassan", "ali", "mohammed", "muhammad", "ahmed", "abdul",
	"sergei", "dmitry", "dmitri", "alexei", "alexander", "nikolai", "boris",
	"petro", "viktor", "francois", "emmanuel", "nicolas", "jacques", "david",
	"jens", "matteo", "justin", "shinzo", "narendra", "salman", "abdullah",
	"hosni", "abdel", "moammar", "saddam", "osama", "ayman", "hamid",
	"ashraf", "nawaz", "jair", "luiz", "evo", "hugo", "nicolas", "enrique",
	"vicente", "felipe", "mariano", "pedro", "jean-claude", "donald", "josh",
	"jared", "ivanka", "mitt", "ryan", "rob", "mo", "herman", "duncan",
	"lester", "sean", "bret", "wolf", "jake", "chuck", "joe", "van", "glenn",
	"rush", "newt", "stephen", "steve", "mark", "jon", "seth", "bill",
	"trey", "darrell", "devin", "adam", "elijah", "kevin", "jim", "dana",
	"jose", "luis", "carlos", "jorge", "miguel", "antonio", "francisco",
	"manuel", "rafael", "alejandro", "roberto", "ricardo", "eduardo",
	"fernando", "sergio", "javier", "mario", "oscar", "jesus", "marco",
	"hans", "wolfgang", "klaus", "helmut", "gerhard", "olaf", "frank-walter",
	"sigmar", "horst", "boris", "nigel", "gordon", "tony", "david", "jeremy",
	"theresa", "philip", "andrzej", "viktor", "milos", "alexis", "recep",
	"ahmet", "mevlut", "binali", "ehud", "shimon", "yitzhak", "avigdor",
	"naftali", "mahmoud", "saeb", "ismail", "khaled", "walid", "faisal",
	"hamad", "tamim", "sheikh", "king", "prince", "mr", "sir", "lord",
	"father", "brother", "son", "uncle", "husband", "boy", "man", "gentleman",
	"governor", "pence", "tim", "kaine", "gary", "evan", "darrell", "kris",
	"jeff", "rex", "wilbur", "steven", "ben", "betsy", "elaine", "rick",
	"sonny", "ryan", "reince", "stephen", "jared", "don", "eric",
}

var femaleNames = []string{
	"hillary", "angela", "nancy", "elizabeth", "liz", "sarah", "carly",
	"nikki", "michelle", "melania", "ivanka", "chelsea", "mary", "patricia",
	"jennifer", "linda", "barbara", "susan", "jessica", "karen", "lisa",
	"betty", "margaret", "sandra", "ashley", "kimberly", "emily", "donna",
	"carol", "ruth", "sharon", "laura", "cynthia", "kathleen", "amy",
	"shirley", "anna", "angela", "helen", "brenda", "pamela", "nicole",
	"samantha", "katherine", "kathy", "christine", "debra", "debbie",
	"rachel", "carolyn", "janet", "catherine", "maria", "heather", "diane",
	"julie", "joyce", "victoria", "kelly", "christina", "joan", "evelyn",
	"lauren", "judith", "olivia", "martha", "cheryl", "megan", "andrea",
	"hannah", "jacqueline", "ann", "anne", "gloria", "jean", "kathryn",
	"alice", "teresa", "sara", "janice", "doris", "madison", "julia",
	"grace", "judy", "abigail", "marie", "denise", "beverly", "amber",
	"theresa", "marilyn", "danielle", "diana", "brittany", "natalie",
	"sophia", "rose", "isabella", "alexis", "kayla", "charlotte", "kellyanne",
	"hope", "sarah", "huma", "donna", "debbie", "dianne", "dianna", "kirsten",
	"kamala", "tammy", "claire", "heidi", "maggie", "jeanne", "lisa", "shelley",
	"marsha", "susana", "condoleezza", "condi", "madeleine", "samantha",
	"susan", "valerie", "loretta", "sally", "janet", "penny", "jill",
	"tulsi", "katie", "megyn", "greta", "mika", "rachel", "andrea", "gretchen",
	"kellyanne", "katrina", "ana", "marine", "theresa", "federica", "christine",
	"ursula", "maria", "yulia", "nadezhda", "irina", "natalia", "olga",
	"svetlana", "tatiana", "elena", "lyudmila", "valentina", "benazir",
	"golda", "indira", "aung", "ellen", "mrs", "ms", "miss", "madam", "lady",
	"dame", "queen", "princess", "mother", "sister", "daughter", "aunt",
	"wife", "girl", "woman", "duchess", "gennifer", "juanita", "paula",
	"kathleen", "monica", "alicia", "melanie", "stephanie", "betsy",
	"meryl", "beyonce", "oprah", "taylor", "lena", "cecile", "terri",
	"jan", "mia", "michele", "ileana", "lynn", "virginia", "marianne",
	"jane", "joy", "whoopi", "rosie", "connie", "dolores", "eva", "ivana",
	"tiffany", "lara", "karen", "omarosa", "katrina", "hope", "sheryl",
}

// classOf looks a word up in the lexicon, folding ASCII case without
// allocating.
func classOf(word string) wordClass {
	var buf [maxLexiconWord]byte
	if len(word) > len(buf) {
		return 0
	}
	word = strings.TrimSuffix(word, ".")
	n := len(word)
	// The fold, the key and the search for an apostrophe share one pass:
	// this runs on every word of every article.
	var key uint64
	mayHaveApostrophe := false
	for i := 0; i < n; i++ {
		c := asciiLower[word[i]]
		buf[i] = c
		key = withKeyByte(key, i, c)
		// ’ is the only non-ASCII apostrophe apostrophe finds; 0xE2 opens it.
		mayHaveApostrophe = mayHaveApostrophe || c == '\'' || c == 0xE2
	}
	return classOfFolded(word, buf[:n], key, mayHaveApostrophe)
}

// classOfFolded is classOf of word, no longer than maxLexiconWord and
// without a final stop, given folded (its ASCII lower case), folded's
// lexicon key and whether word may hold an apostrophe.
func classOfFolded(word string, folded []byte, key uint64, mayHaveApostrophe bool) wordClass {
	if c, ok := lexicon.find(folded, key); ok {
		return c
	}
	return classOfUnlisted(word, folded, key, mayHaveApostrophe)
}

// classOfUnlisted is classOfFolded of a word the lexicon does not list.
func classOfUnlisted(word string, folded []byte, key uint64, mayHaveApostrophe bool) wordClass {
	n := len(folded)
	if n > 2 && folded[n-2] == 'l' && folded[n-1] == 'y' && !isCapitalized(word) {
		// Flatly, angrily; but Kelly and Reilly are names.
		return adverb
	}
	if mayHaveApostrophe {
		if i := apostrophe(word); i > 0 {
			return classOf(word[:i]) &^ (speechVerb | reportVerb)
		}
	}
	if n > 3 && folded[n-1] == 's' {
		// Plurals of role nouns: prosecutors, protesters.
		singular := folded[:n-1]
		// The key without the final s, if it held it: a shift by 64 or
		// more is 0, and the mask all ones.
		c, _ := lexicon.find(singular, key&(uint64(1)<<(8*uint(len(singular)))-1))
		return c & roleNoun
	}
	return 0
}

// maxLexiconWord is the longest word classOf looks up; no lexicon word
// comes near it.
const maxLexiconWord = 32

// asciiLower folds ASCII upper case and leaves every other byte as it is.
var asciiLower = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] += 'a' - 'A'
		}
	}
	return t
}()

// lexiconTable is the lexicon as an open-addressing hash table keyed by
// a word's length and its first eight bytes, which classOf and
// scanWordClass build as they fold the word: no hash a byte, and a word of
// eight bytes or fewer, most of an article's, is told apart by its key
// alone, without a string comparison.
type lexiconTable struct {
	slots [lexiconSlots]lexiconSlot
	// longWords are the words longer than eight bytes, whose keys leave
	// the rest of them out.
	longWords []string
}

// lexiconSlots is the lexicon's room: a power of two, and at most half
// full (TestLexiconLeavesHalfTheSlotsEmpty), since most words are not in the lexicon
// and a miss ends at the first empty slot. Fixed, it spares a lookup the
// table's bounds.
const (
	lexiconBits  = 12
	lexiconSlots = 1 << lexiconBits
)

// lexiconSlot is a word's key, length and class side by side: a lookup
// reads one cache line a probe.
type lexiconSlot struct {
	key   uint64
	class wordClass
	// length is the word's; 0 marks an empty slot.
	length uint16
	// long is one more than the word's index in longWords, 0 for a word
	// of eight bytes or fewer.
	long uint16
}

// A word's lexicon key is its first eight bytes, little-endian, zero past
// its end.
//
// withKeyByte adds c, a word's byte at index i, to the key of the bytes
// before it. A shift by 64 or more is 0 in Go: the bytes after the eighth
// add nothing.
func withKeyByte(key uint64, i int, c byte) uint64 { return key | uint64(c)<<(8*uint(i)) }

// lexiconHome is the first slot to probe for a word of key key and
// length n: Fibonacci hashing, whose multiply spreads the key's bytes over
// the top bits.
func lexiconHome(key uint64, n int) uint32 {
	return uint32(((key ^ uint64(n)<<58) * 0x9E3779B97F4A7C15) >> (64 - lexiconBits))
}

// newLexiconTable builds the table of words, which must leave half of
// its slots empty (TestLexiconLeavesHalfTheSlotsEmpty).
func newLexiconTable(words map[string]wordClass) *lexiconTable {
	t := new(lexiconTable)
	for w, c := range words {
		var key uint64
		for j := 0; j < len(w); j++ {
			key = withKeyByte(key, j, w[j])
		}
		i := lexiconHome(key, len(w))
		for t.slots[i].length != 0 {
			i = (i + 1) % lexiconSlots
		}
		t.slots[i] = lexiconSlot{key: key, class: c, length: uint16(len(w))}
		if len(w) > 8 {
			t.longWords = append(t.longWords, w)
			t.slots[i].long = uint16(len(t.longWords))
		}
	}
	return t
}

// find looks up folded, whose key is key.
func (t *lexiconTable) find(folded []byte, key uint64) (wordClass, bool) {
	for i := lexiconHome(key, len(folded)); t.slots[i].length != 0; i = (i + 1) % lexiconSlots {
		if s := &t.slots[i]; s.key == key && int(s.length) == len(folded) && (s.long == 0 || t.longWords[s.long-1] == string(folded)) {
			return s.class, true
		}
	}
	return 0, false
}

// apostrophe is the index of word's first apostrophe, straight or curly,
// or -1. Two byte searches beat strings.IndexAny, which walks a set with a
// non-ASCII member rune by rune.
func apostrophe(word string) int {
	i := strings.IndexByte(word, '\'')
	if j := strings.Index(word, "’"); j >= 0 && (i < 0 || j < i) {
		return j
	}
	return i
}

// isCapitalized reports whether word starts with an upper-case letter.
func isCapitalized(word string) bool {
	if word == "" {
		return false
	}
	c := word[0]
	if c < utf8.RuneSelf {
		return 'A' <= c && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(word)
	return r != utf8.RuneError && strings.ToUpper(string(r)) == string(r) && strings.ToLower(string(r)) != string(r)
}

// lowerEqual reports whether word, ASCII-folded, equals lower.
func lowerEqual(word, lower string) bool {
	if len(word) != len(lower) {
		return false
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
