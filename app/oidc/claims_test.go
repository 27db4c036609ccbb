package oidc

import (
	"errors"
	"testing"
	"time"
)

func TestValidateTimes(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	n := now.Unix()
	tests := []struct {
		name          string
		exp, nbf, iat int64
		leeway        time.Duration
		want          error
	}{
		{"valid", n + 3600, 0, n, 0, nil},
		{"valid with nbf and iat", n + 3600, n - 10, n - 10, 0, nil},
		{"expired", n - 1, 0, 0, 0, ErrExpired},
		{"exp equal to now is expired", n, 0, 0, 0, ErrExpired},
		{"expired within leeway", n - 30, 0, 0, time.Minute, nil},
		{"expired beyond leeway", n - 60, 0, 0, time.Minute, ErrExpired},
		{"missing exp", 0, 0, 0, 0, ErrMalformedToken},
		{"nbf ahead", n + 3600, n + 10, 0, 0, ErrNotYetValid},
		{"nbf ahead within leeway", n + 3600, n + 10, 0, time.Minute, nil},
		{"iat ahead", n + 3600, 0, n + 10, 0, ErrIssuedInFuture},
		{"iat ahead within leeway", n + 3600, 0, n + 10, time.Minute, nil},
		{"huge exp", 1 << 62, 0, 0, time.Hour, nil},
		{"negative exp", -5, 0, 0, 0, ErrExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateTimes(tt.exp, tt.nbf, tt.iat, now, tt.leeway)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("ValidateTimes() = %v, want %v", err, tt.want)
			}
		})
	}
}
