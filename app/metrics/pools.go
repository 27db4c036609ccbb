package metrics

import (
	"database/sql"

	"github.com/prometheus/client_golang/prometheus"
)

// poolCollector reads the database pools' figures at scrape time, so the
// hot path pays nothing for them.
type poolCollector struct {
	stats func() map[string]sql.DBStats
}

var (
	poolOpen = prometheus.NewDesc("optare_db_connections_open",
		"Open database connections, by pool (writer, reader).", []string{"pool"}, nil)
	poolInUse = prometheus.NewDesc("optare_db_connections_in_use",
		"Database connections in use, by pool.", []string{"pool"}, nil)
	poolWaits = prometheus.NewDesc("optare_db_waits_total",
		"Times a transaction waited for a connection, by pool; the writer's are the write queue.", []string{"pool"}, nil)
	poolWaitSeconds = prometheus.NewDesc("optare_db_wait_seconds_total",
		"Time spent waiting for a connection, by pool.", []string{"pool"}, nil)
)

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolOpen
	ch <- poolInUse
	ch <- poolWaits
	ch <- poolWaitSeconds
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	for pool, st := range c.stats() {
		ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(st.OpenConnections), pool)
		ch <- prometheus.MustNewConstMetric(poolInUse, prometheus.GaugeValue, float64(st.InUse), pool)
		ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(st.WaitCount), pool)
		ch <- prometheus.MustNewConstMetric(poolWaitSeconds, prometheus.CounterValue, st.WaitDuration.Seconds(), pool)
	}
}
