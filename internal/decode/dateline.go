package decode

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Dates as news pages write them: "Jul 15, 2016", "July 15 2016",
// "15 July 2016", "2016-07-15".
const monthPattern = `(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?`

var (
	monthDayYear = regexp.MustCompile(`(?i)^` + monthPattern + `\s+(\d{1,2}),?\s+(\d{4})\b`)
	dayMonthYear = regexp.MustCompile(`(?i)^(\d{1,2})\s+` + monthPattern + `,?\s+(\d{4})\b`)
	isoDate      = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})\b`)
	anyFullDate  = regexp.MustCompile(`(?i)\b` + monthPattern + `\s+\d{1,2},?\s+\d{4}\b|\b\d{1,2}\s+` + monthPattern + `,?\s+\d{4}\b|\b\d{4}-\d{2}-\d{2}\b`)

	// dateLabel opens a line that dates the article: "Updated: Jul 15,
	// 2016", "Published on 15 July 2016", the place before it allowed
	// ("Moscow, Russia Updated: …").
	dateLabel = regexp.MustCompile(`(?i)\b(?:last updated|first published|updated|published|posted|date)(?:\s+on)?\s*[:\-–—]?\s*`)
	// dateline opens a wire story: "MOSCOW, March 23 (Reuters) –",
	// "HEMPSTEAD, N.Y., Sept. 26, 2016 —".
	dateline = regexp.MustCompile(`^[A-Z][A-Z .'’-]+,(?:\s+[A-Z][A-Za-z.]*\.?,)?\s+` + `(?i:` + monthPattern + `)` + `\s+(\d{1,2})(?:,?\s+(\d{4}))?\s*(?:\([^)]*\))?\s*[—–-]`)
)

// dateLabelWords are what every dateLabel match holds, in some case.
var dateLabelWords = []string{"updated", "published", "posted", "date"}

// mayHoldDateLabel reports whether line holds a dateLabel word in some
// case: a test far cheaper than the case-folded regular expression, which
// the first lines of an article, often whole paragraphs, nearly always
// fail.
func mayHoldDateLabel(line string) bool {
	for _, w := range dateLabelWords {
		if containsFold(line, w) {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains the lower-case ASCII word w in
// any case of its letters.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i]|0x20 == w[0] && strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// maxDateLines bounds how far into an article a date line is looked for:
// it comes with the headline and the byline, not in the story.
const maxDateLines = 8

// textDate finds when an article was published from its own text: a date
// line near its top ("Updated: Jul 15, 2016") or a wire dateline
// ("MOSCOW, March 23 (Reuters) –", whose year, when it leaves it out, is
// the year of the first full date in the text). A date in the story itself
// — a photo caption, an event — is not taken for it.
func textDate(text string) (time.Time, bool) {
	lines := 0
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if lines++; lines > maxDateLines {
			break
		}
		if mayHoldDateLabel(line) {
			if loc := dateLabel.FindStringIndex(line); loc != nil {
				if t, ok := parseTextDate(line[loc[1]:]); ok {
					return t, true
				}
			}
		}
		if m := dateline.FindStringSubmatch(line); m != nil {
			year := m[3]
			if year == "" {
				full := anyFullDate.FindString(text)
				if full == "" {
					continue
				}
				t, _ := parseTextDate(full)
				year = strconv.Itoa(t.Year())
			}
			if t, ok := dateOf(year, monthNumber(m[1]), m[2]); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// parseTextDate reads a date at the start of s.
func parseTextDate(s string) (time.Time, bool) {
	if m := monthDayYear.FindStringSubmatch(s); m != nil {
		return dateOf(m[3], monthNumber(m[1]), m[2])
	}
	if m := dayMonthYear.FindStringSubmatch(s); m != nil {
		return dateOf(m[3], monthNumber(m[2]), m[1])
	}
	if m := isoDate.FindStringSubmatch(s); m != nil {
		month, _ := strconv.Atoi(m[2])
		return dateOf(m[1], time.Month(month), m[3])
	}
	return time.Time{}, false
}

func monthNumber(name string) time.Month {
	prefix := strings.ToLower(name)[:3]
	for m := time.January; m <= time.December; m++ {
		if strings.HasPrefix(strings.ToLower(m.String()), prefix) {
			return m
		}
	}
	return 0
}

// dateOf is the calendar date as midnight UTC, when it is one: a day that
// exists, in a year news could be from.
func dateOf(year string, month time.Month, day string) (time.Time, bool) {
	y, errY := strconv.Atoi(year)
	d, errD := strconv.Atoi(day)
	if errY != nil || errD != nil || month == 0 || y < 1900 || y > 2200 {
		return time.Time{}, false
	}
	t := time.Date(y, month, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || t.Month() != month {
		return time.Time{}, false
	}
	return t, true
}
