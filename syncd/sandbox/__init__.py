"""A local stand-in for the GitHub and Jira REST APIs, for the demo and end-to-end tests."""
