package middleware

import "net/http"

// recordingWriter notes what a handler answered: the status, the bytes written
// (for Log) and the route template an inner router reports (for Measure;
// see Route).
type recordingWriter struct {
	http.ResponseWriter
	status int
	bytes  int
	route  string
}

func (w *recordingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController and Route reach the real writer.
func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
