"""Demo data: a realistic edition for trying the platform."""
