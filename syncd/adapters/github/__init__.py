"""syncd on GitHub and GitHub Enterprise: a Tracker adapter over PyGithub."""
