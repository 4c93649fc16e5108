"""The built-in demo: a farm of simulated district apps that `python -m monitor demo` monitors."""

from monitor.demo.farm import Farm, start_farm

__all__ = ["Farm", "start_farm"]
