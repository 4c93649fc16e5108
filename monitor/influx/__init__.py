"""InfluxDB series: the line-protocol schema (lines.py) and the batching, spilling sink."""
