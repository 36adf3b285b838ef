"""Write services of the trading app (one module per use-case family)."""
