package structura.cli;

import picocli.CommandLine.Command;

/** {@code structura bench}: benchmarks a user can run on their own machine; see its subcommands. */
@Command(name = "bench", exitCodeOnInvalidInput = ExitCodes.USAGE, subcommands = BenchStructuredCommand.class,
    description = "Run benchmarks on this machine (see: structura bench structured --help).")
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
