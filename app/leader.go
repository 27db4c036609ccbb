package app

import "context"

// Leader reports whether this process should run the background work that
// must run once per database (the sweep, webhook deliveries): always
// for a database one process owns; for one several replicas share, only on
// the replica holding the leadership, an advisory lock that moves to
// another replica when its holder stops or dies. Work on a process's own
// memory (flushing its API keys' last-used times) runs on every replica.
func (s *Service) Leader(ctx context.Context) (bool, error) { return s.db.Leader(ctx) }

// AsLeader wraps periodic work so that it runs only while this process
// leads (see Leader).
func (s *Service) AsLeader(fn func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		lead, err := s.Leader(ctx)
		if err != nil || !lead {
			return err
		}
		return fn(ctx)
	}
}
