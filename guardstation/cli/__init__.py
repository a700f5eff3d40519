"""The command-line commands that run without the window, and the installation self-test."""
