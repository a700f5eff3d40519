"""The station's settings: where its data lives (paths) and the choices in config.json (model)."""
