package structura.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the command line: exit code and everything printed to stdout and stderr. */
record CliRun(int exit, String out, String err) {
  /** Runs {@code structura args...} through {@link StructuraCli#execute}, capturing both streams. */
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = StructuraCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(exit, out.toString(), err.toString());
  }
}
