"""Django apps, one per system of shared/DESIGN.md, each wrapping a framework-free package of `magnet.core`."""
