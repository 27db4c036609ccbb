package app

// AppendJSON appends the licence check's answer to b: byte for byte what
// EncodeJSON(l) writes (license_json_test.go holds them together), without
// reflection. The REST door answers the check with it.
func (l *License) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"valid":`...)
	b = appendJSONBool(b, l.Valid)
	b = append(b, `,"code":`...)
	b = appendJSONString(b, l.Code)
	b = append(b, `,"user_id":`...)
	b = appendJSONString(b, l.UserID)
	if p := l.Product; p != nil {
		b = append(b, `,"product":`...)
		b = appendProductAccess(b, p)
	}
	if s := l.Subscription; s != nil {
		b = append(b, `,"subscription":{"id":`...)
		b = appendJSONString(b, s.ID)
		b = append(b, `,"status":`...)
		b = appendJSONString(b, s.Status)
		b = append(b, `,"end_date":`...)
		if s.EndDate == nil {
			b = append(b, "null"...)
		} else {
			var err error
			if b, err = appendJSONTime(b, *s.EndDate); err != nil {
				return b, err
			}
		}
		b = append(b, `,"total_seats":`...)
		b = appendJSONInt(b, s.TotalSeats)
		b = append(b, `,"seats_used":`...)
		b = appendJSONInt(b, s.SeatsUsed)
		b = append(b, '}')
	}
	b = append(b, `,"features":`...)
	b = appendJSONStrings(b, l.Features)
	return append(b, '}'), nil
}
