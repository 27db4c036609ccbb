package app

import (
	"encoding/json"
	"reflect"
	"sync"
	"time"
)

// TimePrecision is the one precision of every timestamp Optare's JSON
// carries (REST answers, CLI --json, webhook payloads): whole seconds in
// UTC, "2025-01-01T00:00:00Z" as in the guide. The database keeps
// microseconds (for ordering); answers never show them, so a created
// object reads the same as when it is fetched again.
const TimePrecision = time.Second

// EncodeJSON is json.Marshal with every time.Time in v at TimePrecision in
// UTC. Every door encodes API objects through it (or JSONValue).
func EncodeJSON(v any) ([]byte, error) { return json.Marshal(JSONValue(v)) }

// JSONValue returns v with every time.Time in it (however deep, through
// pointers, slices, maps and interfaces) truncated to TimePrecision in UTC.
// v itself is never changed: parts that hold times are copied, so values
// shared with caches stay as they are.
func JSONValue(v any) any {
	if v == nil {
		return nil
	}
	rv := reflect.ValueOf(v)
	if !holdsTime(rv.Type()) {
		return v
	}
	return wireValue(rv).Interface()
}

var timeType = reflect.TypeFor[time.Time]()

// timeHolders caches holdsTime per type: the walk is on every answer.
var timeHolders sync.Map // reflect.Type → bool

// holdsTime reports whether a value of type t may contain a time.Time that
// encoding/json would write (interfaces may hold anything).
func holdsTime(t reflect.Type) bool {
	if v, ok := timeHolders.Load(t); ok {
		return v.(bool)
	}
	h := scanTime(t, map[reflect.Type]bool{})
	timeHolders.Store(t, h)
	return h
}

func scanTime(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == timeType {
		return true
	}
	if seen[t] {
		return false // a recursive type: its other paths decide
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return scanTime(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && scanTime(f.Type, seen) {
				return true
			}
		}
	}
	return false
}

// wireValue is v (of a type that holds times) with its times truncated,
// copying every container on the way.
func wireValue(v reflect.Value) reflect.Value {
	t := v.Type()
	if t == timeType {
		return reflect.ValueOf(v.Interface().(time.Time).UTC().Truncate(TimePrecision))
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(wireValue(v.Elem()))
		return p
	case reflect.Interface:
		if v.IsNil() || !holdsTime(v.Elem().Type()) {
			return v
		}
		out := reflect.New(t).Elem()
		out.Set(wireValue(v.Elem()))
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(wireValue(v.Index(i)))
		}
		return out
	case reflect.Array:
		out := reflect.New(t).Elem()
		for i := range v.Len() {
			out.Index(i).Set(wireValue(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), wireValue(it.Value()))
		}
		return out
	case reflect.Struct:
		out := reflect.New(t).Elem()
		out.Set(v) // unexported fields as they are
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && holdsTime(f.Type) {
				out.Field(i).Set(wireValue(v.Field(i)))
			}
		}
		return out
	}
	return v
}
