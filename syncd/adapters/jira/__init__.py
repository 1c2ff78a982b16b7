"""The Jira adapter (Cloud and Server/Data Center) on the `jira` library."""
