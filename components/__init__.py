"""Building blocks of the portfolio deployment: settings, spec builders, component."""
