"""paraat: platform for societal-impact advice in crises."""

__version__ = "0.1.0"
