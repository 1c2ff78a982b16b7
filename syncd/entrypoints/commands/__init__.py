"""One module per `syncd` subcommand, each with `run(args) -> exit status`."""
