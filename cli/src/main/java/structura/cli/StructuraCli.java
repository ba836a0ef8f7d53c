package structura.cli;

import com.google.inject.ConfigurationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import structura.api.StructuraException;
import structura.api.backend.BackendUnavailableException;

/**
 * Entry point of the {@code structura} command. Builds the picocli command tree, with command
 * objects created by Guice, and maps failures to exit codes: 0 ok, 1 usage, 2 computation or
 * input failure, 3 backend unavailable (see {@link ExitCodes}).
 */
@Command(name = "structura", mixinStandardHelpOptions = true, versionProvider = StructuraCli.Version.class,
    exitCodeOnInvalidInput = ExitCodes.USAGE, exitCodeOnExecutionException = ExitCodes.FAILURE,
    description = "Structured linear algebra and training-free compression of neural networks.",
    subcommands = {ActivationsCommand.class, BackendsCommand.class, CheckCommand.class, CompressCommand.class, DataCommand.class, EvalCommand.class, GpCommand.class, KernelCommand.class, PcaCommand.class, PerplexityCommand.class, ResultsCommand.class, SpectraCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 usage, 2 computation or input failure, 3 backend unavailable.",
        "Settings and error codes: docs/configuration.md, docs/errors.md."})
public final class StructuraCli implements Runnable {
  @Mixin
  GlobalOptions options = new GlobalOptions();

  @picocli.CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams and returns the exit code (for tests and embedding). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    StructuraCli root = new StructuraCli();
    CommandLine cli = commandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionStrategy(parseResult -> {
      configureLogging(root.options.verbose());
      try {
        root.options.validate();
      } catch (StructuraException e) {
        // reported like a command's own failure: coded message, exit 2
        throw new CommandLine.ExecutionException(parseResult.commandSpec().commandLine(), e.getMessage(), e);
      }
      return new CommandLine.RunLast().execute(parseResult);
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ex, commandLine, root.options.verbose()));
    return cli.execute(args);
  }

  /** The command tree around {@code root}, commands created by Guice, every one with {@code --help}. */
  static CommandLine commandLine(StructuraCli root) {
    // Guice reads our Java 25 class files with its bundled ASM only to put line numbers into
    // its error messages, and warns that ASM is out of date; we do not need those line numbers.
    System.setProperty("guice_include_stack_traces", "OFF");
    Injector injector = Guice.createInjector(new CliModule(root.options));
    CommandLine cli = new CommandLine(root, new GuiceFactory(injector));
    addHelpOptions(cli);
    return cli;
  }

  /**
   * Gives every command and subcommand {@code -h/--help} (and {@code -V/--version}), so that a
   * command added later cannot forget them; picocli's own {@code help} command has its own.
   */
  static void addHelpOptions(CommandLine command) {
    if (command.getCommandSpec().findOption("--help") == null) {
      command.getCommandSpec().mixinStandardHelpOptions(true);
    }
    command.getSubcommands().values().forEach(StructuraCli::addHelpOptions);
  }

  private static int handle(Exception ex, CommandLine commandLine, boolean verbose) {
    Throwable t = ex;
    while (t instanceof ProvisionException || t instanceof CommandLine.ExecutionException) {
      if (t.getCause() == null) {
        break;
      }
      t = t.getCause();
    }
    PrintWriter err = commandLine.getErr();
    String message = t instanceof StructuraException ? t.getMessage() : "unexpected failure: " + t;
    err.println(commandLine.getColorScheme().errorText("structura: " + message));
    if (verbose) {
      t.printStackTrace(err);
    } else if (!(t instanceof StructuraException)) {
      err.println("Run again with --verbose for the stack trace.");
    }
    err.flush();
    return t instanceof BackendUnavailableException ? ExitCodes.BACKEND_UNAVAILABLE : ExitCodes.FAILURE;
  }

  // held here: the log manager keeps loggers only weakly, and a collected logger forgets its level
  private static final Logger GUICE_LOG = Logger.getLogger("com.google.inject");
  /** DJL (tokenizers) reports its platform probing, e.g. a failed CUDA probe, which the CPU tokenizer does not need. */
  private static final Logger DJL_LOG = Logger.getLogger("ai.djl");

  /** One line per record on stderr: "INFO structura.backend: message". */
  static void configureLogging(boolean verbose) {
    Logger root = Logger.getLogger("");
    for (var h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(new SimpleFormatter() {
      @Override
      public String format(LogRecord r) {
        String text = r.getLevel().getName() + " " + r.getLoggerName() + ": " + formatMessage(r) + System.lineSeparator();
        if (verbose && r.getThrown() != null) {
          java.io.StringWriter sw = new java.io.StringWriter();
          r.getThrown().printStackTrace(new PrintWriter(sw));
          text += sw;
        }
        return text;
      }
    });
    Level level = verbose ? Level.FINE : Level.INFO;
    handler.setLevel(level);
    root.setLevel(level);
    root.addHandler(handler);
    GUICE_LOG.setLevel(verbose ? Level.INFO : Level.SEVERE);
    DJL_LOG.setLevel(verbose ? Level.FINE : Level.SEVERE);
  }

  /** Creates command objects through Guice, falling back to picocli's factory for its own classes. */
  static final class GuiceFactory implements CommandLine.IFactory {
    private final Injector injector;

    GuiceFactory(Injector injector) {
      this.injector = injector;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type.getPackageName().equals(StructuraCli.class.getPackageName())) {
        try {
          return injector.getInstance(type);
        } catch (ConfigurationException e) {
          return CommandLine.defaultFactory().create(type);
        }
      }
      return CommandLine.defaultFactory().create(type);
    }
  }

  /** Version from the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"structura " + number() + " (Java " + Runtime.version() + ")"};
    }

    /** The project version this build was made from, or {@code unknown} outside a Maven build. */
    static String number() {
      Properties p = new Properties();
      try (InputStream in = StructuraCli.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        return "unknown";
      }
      return p.getProperty("version", "unknown");
    }
  }
}
