package store

import (
	"encoding/json"
	"fmt"
)

// encodeList is a column holding a list of strings (product features,
// webhook event types): a JSON array, "[]" for none. The encoding is the
// store's business; callers see []string.
func encodeList(list []string) string {
	if list == nil {
		list = []string{}
	}
	b, _ := json.Marshal(list) // a []string always encodes
	return string(b)
}

// decodeList reads a column written by encodeList; never nil.
func decodeList(s string) ([]string, error) {
	list := []string{}
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return nil, fmt.Errorf("list column: %w", err)
	}
	if list == nil { // a stored "null"
		list = []string{}
	}
	return list, nil
}
