package problem

// Fields renames configuration fields in messages, so that every fix names a
// field of the API the user called. A stage names its own fields fully
// qualified ("cors.Config.MaxAge", "proxy.Config.Trusted"); a layer that builds
// the stage from a configuration of its own (the sesame Stack) maps each such
// name to the field the user really set ("sesame.Config.CORSMaxAge"). A nil
// Fields renames nothing.
type Fields map[string]string

// Name returns what field is called for the user: f[field] when f has it, else
// field itself.
func (f Fields) Name(field string) string {
	if n, ok := f[field]; ok {
		return n
	}
	return field
}
