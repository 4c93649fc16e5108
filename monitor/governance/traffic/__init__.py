"""Traffic (访问量): page views (pv) and unique visitors (uv) per app and day.

Sources: pushes to POST /api/v1/traffic (api.py), a Prometheus-format endpoint and a JSON
statistics endpoint polled by poller.py, and web server access logs imported by
`python -m monitor traffic import` (accesslog.py, importer.py). Everything lands in the
TrafficStore (store.py), one row per app, day and source.

Deliberately empty of imports: monitor.core.config.model imports traffic.config, and the store
imports the config, so importing the store from here would be a cycle.
"""
