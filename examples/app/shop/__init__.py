"""shop: a small order-processing service (the logcheck example application)."""

__version__ = "1.4.2"
