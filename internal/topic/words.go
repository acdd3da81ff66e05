package topic

// The word lists below are grammar, not editorial choices, so they live in
// code; what a topic is called lives in aliases.txt. Every list is keyed by
// token keys (folded, without dots, hyphens and apostrophes).

// isSkipWord reports whether a capitalised word is never a topic on its
// own: function words and pronouns (capitalised at a sentence's start),
// "I", months and days.
func isSkipWord(key string) bool {
	switch key {
	case "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "you", "your", "yours",
		"he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their", "theirs",
		"this", "that", "these", "those", "who", "whom", "whose", "which", "what", "where", "when", "why", "how",
		"a", "an", "the", "some", "any", "all", "each", "every", "no", "not", "none", "both", "either", "neither",
		"many", "much", "more", "most", "few", "several", "such", "other", "another", "one",
		"and", "but", "or", "nor", "so", "yet", "if", "then", "than", "because", "although", "though",
		"while", "whereas", "unless", "until", "since", "as", "once",
		"in", "on", "at", "to", "of", "for", "with", "by", "from", "about", "after", "before", "during",
		"over", "under", "into", "onto", "through", "between", "among", "against", "without", "within",
		"despite", "according", "amid", "around", "across", "behind", "beyond", "near", "off", "out",
		"up", "down", "per", "via", "like", "unlike",
		"is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "done",
		"have", "has", "had", "will", "would", "shall", "should", "can", "could", "may", "might", "must",
		"there", "here", "yes", "also", "however", "meanwhile", "moreover", "still", "now", "today",
		"yesterday", "tomorrow", "tonight", "last", "next", "earlier", "later", "instead", "indeed",
		"perhaps", "only", "even", "just", "please", "thanks", "ok", "oh", "well", "very", "never", "always",
		"let", "thank", "said", "says", "interim", "acting", "former", "dear",
		"follow", "read", "watch", "click", "subscribe", "listen", "see", "notice",
		// Contractions, whose apostrophe the key drops.
		"im", "ive", "ill", "id", "dont", "doesnt", "didnt", "cant", "wont", "isnt", "arent", "wasnt",
		"youre", "theyre", "weve", "lets", "thats", "theres", "hes", "shes":
		return true
	}
	return isMonth(key) || isDay(key)
}

func isMonth(key string) bool {
	switch key {
	case "january", "february", "march", "april", "may", "june", "july", "august", "september",
		"october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
		"sept", "oct", "nov", "dec":
		return true
	}
	return false
}

func isDay(key string) bool {
	switch key {
	case "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun":
		return true
	}
	return false
}

// titleWords is the longest title phrase isTitle knows, in words.
const titleWords = 3

// isTitle reports whether the words (keys joined by spaces) are a title
// standing before a name, which is no part of the name: "Secretary of
// State John Kerry" is about John Kerry.
func isTitle(key string) bool {
	switch key {
	case "mr", "mrs", "ms", "miss", "miss universe", "miss america", "dr", "sir", "dame", "lord",
		"president", "vice president", "prime minister", "deputy prime minister", "minister",
		"foreign minister", "defence minister", "defense minister", "interior minister", "finance minister",
		"foreign secretary", "defence secretary", "defense secretary", "home secretary", "press secretary",
		"secretary", "secretary of state", "secretarygeneral", "secretary general", "attorney general",
		"attorneygeneral", "senator", "sen", "sens", "reps", "rep", "representative", "congressman", "congresswoman",
		"gov", "governor", "gen", "lt", "lieutenant", "col", "colonel", "capt", "captain", "sgt",
		"sergeant", "adm", "admiral", "chancellor", "ambassador", "envoy", "special envoy",
		"spokesman", "spokeswoman", "spokesperson", "pope", "mayor", "chairman", "chairwoman",
		"professor", "prof", "sheikh", "ayatollah", "archbishop", "bishop", "rev", "reverend",
		"commissioner", "deputy", "justice", "chief justice", "judge", "candidate", "nominee",
		"del", "delegate", "cohost", "host", "anchor", "leader", "majority leader", "minority leader",
		"speaker", "director", "chief", "chief executive", "founder", "coach", "attorney", "city attorney",
		"rear adm", "rear admiral", "vice adm", "vice admiral", "maj gen", "major general", "brig gen",
		"brigadier general", "lt gen", "lieutenant general", "high commissioner", "correspondent":
		return true
	}
	return false
}

// isGenericWord reports whether a capitalised word alone names nothing a
// reader would search for: a common noun capitalised for emphasis ("the
// World has not witnessed"), or a degree or job abbreviation ("his MBA").
func isGenericWord(key string) bool {
	switch key {
	case "world", "nation", "country", "government", "administration", "people", "city", "state",
		"united", "department", "round", "chapter", "section", "article", "amendment", "act",
		"development", "research", "policy", "tax", "reform", "security", "health", "education",
		"energy", "commission", "committee", "council", "islamic", "muslim", "christian", "times",
		"universe", "forum", "court", "hill", "convention", "north", "south", "east", "west", "friends",
		"time", "family", "black", "white", "fail", "succeed", "oversight", "pres", "misogamy",
		// States as AP style abbreviates them after a town ("Springfield, Va.").
		"ala", "ariz", "ark", "calif", "colo", "conn", "fla", "ga", "ind", "kan", "ky", "md", "mass",
		"mich", "minn", "mo", "mont", "neb", "nev", "nc", "nd", "okla", "ore", "pa", "ri", "sc", "sd",
		"tenn", "tex", "vt", "va", "wash", "wva", "wis", "wyo", "nj", "nh", "nm", "ny",
		"establishment", "western", "eastern", "northern", "southern", "defense", "defence", "year", "foundation",
		// Departments, alone where a title after them is cut ("Agriculture
		// Secretary Tom Vilsack").
		"agriculture", "commerce", "labor", "interior", "transportation", "housing",
		"mba", "phd", "ceo", "cfo", "coo", "cto", "vip", "pm", "am", "tv", "dvr", "asap",
		// Time zones, as in "9 p.m. ET".
		"et", "est", "edt", "ct", "cst", "cdt", "mt", "mst", "mdt", "pt", "pst", "pdt", "gmt", "utc", "bst", "cet":
		return true
	}
	return false
}

// isFirstName reports whether a word is a given name and rarely a
// surname: alone it names no one a reader could search for ("Larry
// said"), while a surname alone ("Kerry", "Pence") does.
func isFirstName(key string) bool {
	switch key {
	case "aaron", "adam", "alan", "alex", "alice", "amanda", "amy", "andrea", "andrew", "angela",
		"ann", "anna", "anne", "barack", "barbara", "bashar", "ben", "benjamin", "bernie", "beth", "betty",
		"bill", "bob", "brian", "carlos", "carol", "catherine", "charles", "chelsea", "chris", "christina",
		"christine", "chuck", "cindy", "claire", "dan", "daniel", "david", "deborah", "debbie", "dennis",
		"diana", "diane", "donald", "donna", "dorothy", "ed", "elizabeth", "emily", "emma", "eric",
		"gary", "george", "greg", "hannah", "heather", "helen", "hillary", "ivanka", "jack", "jacob",
		"jane", "janet", "jason", "jeb", "jeff", "jeffrey", "jennifer", "jessica", "jim", "joan", "joe",
		"john", "jonathan", "jorge", "jose", "joseph", "joshua", "juan", "judy", "julia", "julie", "justin",
		"karen", "kate", "katherine", "kathy", "katie", "kevin", "kim", "larry", "laura", "lauren", "linda",
		"lisa", "luis", "margaret", "maria", "marie", "mark", "mary", "matt", "matthew", "megan", "melania",
		"melanie", "melissa", "michael", "michelle", "mike", "nancy", "nicole", "pat", "patricia", "paula",
		"peter", "rachel", "rebecca", "richard", "rick", "rob", "robert", "ron", "sam", "samantha", "sandra",
		"sarah", "sergei", "sharon", "stephanie", "stephen", "steve", "steven", "susan", "ted", "terrence",
		"theresa", "tim", "timothy", "tom", "tony", "vladimir", "william", "lester", "jimi",
		"christopher", "nicholas", "brandon", "zachary", "kyle", "ethan", "nathan", "jesse", "sean",
		"doug", "fred", "pete", "roger", "randy", "rudy", "rafael", "marco", "mario", "miguel", "pedro",
		"alejandro", "diego", "newt", "brad", "travis", "trevor", "corey", "dustin", "derek", "shane",
		"jerry", "terry", "ralph", "jill", "carly", "callista", "betsy", "sophie", "erica", "anita", "joni",
		"kristen", "ashley", "brittany", "amber", "danielle", "vanessa", "veronica", "monica", "erin",
		"kimberly", "courtney", "natalie", "olivia", "sophia", "isabella", "abigail", "chloe", "ella", "zoe",
		"lily", "leah", "huma", "kellyanne", "ivana", "marla", "jeanne", "joanne", "judith", "gloria",
		"martha", "denise", "tammy", "tina", "wendy", "sheila", "shirley", "peggy", "sally", "nina",
		"sammy", "jake", "charlie", "liz", "reince", "jared", "bobby", "billy", "johnny", "jimmy", "danny",
		"tommy", "kenny":
		return true
	}
	return false
}

// isShoutWord reports whether a function word written in capitals shows
// that its sentence shouts. Capitals that are also acronyms ("US", "IT",
// "WHO", "AM") are left out.
func isShoutWord(key string) bool {
	switch key {
	case "the", "and", "of", "to", "in", "is", "are", "was", "were", "his", "her", "my", "we", "you",
		"they", "not", "will", "with", "this", "that", "be", "have", "now", "your", "our", "their", "for":
		return true
	}
	return false
}

// isPlaceBeforeName reports whether a word makes a place, a storm or a
// royal of a given name after it ("San Jose", "Camp David", "Hurricane
// Matthew", "Queen Elizabeth"), where a given name after another word is
// otherwise an epithet ("Crooked Hillary", "Team Hillary").
func isPlaceBeforeName(key string) bool {
	switch key {
	case "san", "santa", "santo", "sao", "st", "saint", "ste", "fort", "port", "lake", "mount", "mt", "camp",
		"cape", "hurricane", "tropical", "storm", "typhoon", "queen", "king", "prince", "princess", "emperor",
		"empress", "czar", "tsar", "sultan", "emir", "pope", "brother", "sister", "father", "uncle", "aunt":
		return true
	}
	return false
}

// isAgencyHead reports whether a word ends the name of an agency or a law
// that may open with two words joined by "and" ("Immigration and Customs
// Enforcement", "Family and Medical Leave Act").
func isAgencyHead(key string) bool {
	switch key {
	case "act", "enforcement", "services", "service", "administration", "commission", "agency", "bureau",
		"committee", "institute", "fund", "program", "programme", "office", "authority", "board":
		return true
	}
	return false
}

// isOrgWord reports whether a word after a party makes the name of an
// institution or an event of the party, not a person: "Republican National
// Committee", "Democratic Governors Association", "Republican Jewish
// Coalition".
func isOrgWord(key string) bool {
	switch key {
	case "national", "state", "senate", "house", "party", "caucus", "conference", "convention", "primary",
		"leadership", "governors", "senators", "jewish", "women", "club", "platform", "establishment",
		"majority", "minority", "debate", "congressional", "policy", "study", "legislative", "county", "central":
		return true
	}
	return isOfHead(key) || isAgencyHead(key)
}

// isGeneration reports whether a word after a surname tells a generation:
// "Charles Keating IV", "Martin Luther King Jr".
func isGeneration(key string) bool {
	switch key {
	case "jr", "sr", "ii", "iii", "iv", "v":
		return true
	}
	return false
}

// isPartyMember reports whether a word says which party a politician
// belongs to, as written after their state ("a New York Democrat").
func isPartyMember(key string) bool {
	return key == "democrat" || key == "republican" || key == "democratic"
}

// isAffixPrefix reports whether a lower-case prefix joined to a capitalised
// word makes it an adjective, not a name ("pro-Clinton", "anti-Trump").
func isAffixPrefix(prefix string) bool {
	switch prefix {
	case "pro", "anti", "non", "post", "pre", "ex", "neo", "mid", "un":
		return true
	}
	return false
}

// isParticle reports whether a lower-case word joins the parts of a name
// ("Ursula von der Leyen", "Osama bin Laden").
func isParticle(key string) bool {
	switch key {
	case "de", "del", "della", "di", "da", "du", "des", "dos", "das", "la", "le",
		"van", "von", "der", "den", "ter", "bin", "ibn", "al", "el", "y":
		return true
	}
	return false
}

// isOfHead reports whether a name ending in this word goes on with "of"
// ("Bank of England", "Ministry of Defence"); after other words "of"
// separates two names ("Lavrov of Russia").
func isOfHead(key string) bool {
	switch key {
	case "bank", "ministry", "department", "university", "republic", "council", "court", "house",
		"office", "board", "chamber", "union", "institute", "league", "kingdom", "states", "state",
		"federation", "assembly", "church", "gulf", "sea", "bay", "isle", "isles", "cape", "strait",
		"city", "organization", "organisation", "bureau", "school", "college", "museum", "party",
		"people", "peoples", "province", "district", "duke", "duchess", "prince", "princess",
		"association", "center", "centre", "committee", "commission", "foundation", "society", "agency",
		"coalition", "alliance", "conference", "fund", "campaign", "endowment", "hall", "academy", "library":
		return true
	}
	return false
}

// isNameJoiner reports whether a lower-case word joins the two parts of an
// institution's name after an isOfHead word: "Bank of England", "Council
// on Foreign Relations", "Center for American Progress".
func isNameJoiner(key string) bool { return key == "of" || key == "on" || key == "for" }
