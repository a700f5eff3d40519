"""The station's use cases, without Qt: opening a station, the checkpoint, supervision, shifts, PIN,
retention, first-run setup, issuing passes, the demo and the link to the central server."""
