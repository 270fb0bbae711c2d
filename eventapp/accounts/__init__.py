"""Account services shared by the web views and the command line."""
