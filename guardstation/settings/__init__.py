"""The station's settings: where its data lives (paths) and the choices in config.json (model: the
Settings; schema: what each field may hold; upgrade: the file's versions)."""
