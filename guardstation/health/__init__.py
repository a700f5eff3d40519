"""Health of the station: its clock, its disk, its camera and the start-up hardware check. No Qt."""
