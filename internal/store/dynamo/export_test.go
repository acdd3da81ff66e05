package dynamo

// SetMaxExamined lowers the read budget of one page of Quotes, so that a
// test can exceed it with a few quotes.
func (d *DB) SetMaxExamined(n int) { d.maxExamined = n }
