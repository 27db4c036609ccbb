package app

import "strconv"

// AppendJSON appends the userinfo answer to b: byte for byte what
// encoding/json (and EncodeJSON) writes for it (oauth_json_test.go holds
// them together), without reflection. The OAuth door answers with it.
func (u *UserInfo) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"sub":`...)
	b = appendJSONString(b, u.Sub)
	if u.Email != "" {
		b = append(b, `,"email":`...)
		b = appendJSONString(b, u.Email)
	}
	if u.EmailVerified != nil {
		b = append(b, `,"email_verified":`...)
		b = appendJSONBool(b, *u.EmailVerified)
	}
	if u.Name != "" {
		b = append(b, `,"name":`...)
		b = appendJSONString(b, u.Name)
	}
	b = append(b, `,"organizationId":`...)
	b = appendJSONString(b, u.OrganizationID)
	b = append(b, `,"products":`...)
	if u.Products == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range u.Products {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendProductAccess(b, &u.Products[i])
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// appendProductAccess writes the four fields of a ProductAccess that JSON
// shows (the others are json:"-").
func appendProductAccess(b []byte, p *ProductAccess) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, p.ID)
	b = append(b, `,"slug":`...)
	b = appendJSONString(b, p.Slug)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, p.Name)
	b = append(b, `,"features":`...)
	b = appendJSONStrings(b, p.Features)
	return append(b, '}')
}

// AppendJSON appends the introspection answer (RFC 7662) to b: byte for
// byte what encoding/json writes for it, omitempty fields included,
// without reflection.
func (in *Introspection) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"active":`...)
	b = appendJSONBool(b, in.Active)
	b = appendOptString(b, `,"scope":`, in.Scope)
	b = appendOptString(b, `,"client_id":`, in.ClientID)
	b = appendOptString(b, `,"username":`, in.Username)
	b = appendOptString(b, `,"token_type":`, in.TokenType)
	if in.Exp != 0 {
		b = strconv.AppendInt(append(b, `,"exp":`...), in.Exp, 10)
	}
	if in.Iat != 0 {
		b = strconv.AppendInt(append(b, `,"iat":`...), in.Iat, 10)
	}
	b = appendOptString(b, `,"sub":`, in.Sub)
	if len(in.Aud) > 0 {
		b = appendJSONStrings(append(b, `,"aud":`...), in.Aud)
	}
	b = appendOptString(b, `,"iss":`, in.Iss)
	b = appendOptString(b, `,"jti":`, in.JTI)
	b = appendOptString(b, `,"organizationId":`, in.OrganizationID)
	if len(in.Products) > 0 {
		b = appendJSONStrings(append(b, `,"products":`...), in.Products)
	}
	if in.Cnf != nil {
		b = append(b, `,"cnf":{"jkt":`...)
		b = appendJSONString(b, in.Cnf.JKT)
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

// appendOptString writes an omitempty string field: nothing when empty.
func appendOptString(b []byte, key, v string) []byte {
	if v == "" {
		return b
	}
	return appendJSONString(append(b, key...), v)
}
