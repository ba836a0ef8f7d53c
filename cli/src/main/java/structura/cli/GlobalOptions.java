package structura.cli;

import picocli.CommandLine.Option;
import structura.api.ErrorCode;
import structura.api.StructuraException;
import structura.api.backend.BackendConfig;
import structura.api.backend.ConfigKeys;

/**
 * Options shared by every command. Parsed by picocli into this object before a subcommand
 * runs; {@link #toConfig()} turns them into a {@link BackendConfig} in which they rank as
 * {@code CLI} settings: above system properties and environment variables.
 */
public final class GlobalOptions {
  @Option(names = "--backend", paramLabel = "ID", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Backend to run on: java, vector, opencl, cuda, or auto (default: the highest-priority available one). "
          + "Overrides -Dstructura.backend and STRUCTURA_BACKEND.")
  String backend;

  @Option(names = "--strict", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Fail when the backend lacks a routine instead of running the reference routine (default false).")
  Boolean strict;

  /**
   * The most {@code --threads} accepted: {@value}. Far above any useful count (threads beyond the
   * cores only add contention), and low enough that a typo such as 100000 is a usage error rather
   * than an {@code OutOfMemoryError} while the pools start.
   */
  public static final int MAX_THREADS = BackendConfig.MAX_THREADS;

  @Option(names = "--threads", paramLabel = "N", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Worker threads for multithreaded backends and ONNX Runtime, 1 to " + MAX_THREADS
          + " (default: available processors).")
  Integer threads;

  @Option(names = {"-v", "--verbose"}, scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Log debug detail and print stack traces of failures.")
  boolean verbose;

  /**
   * Checks what must fail before any command starts: {@code --threads} above {@link #MAX_THREADS}
   * (values below 1 are reported where they are used, as before).
   *
   * @throws StructuraException {@code INVALID_CONFIGURATION} naming the option, the bound and why
   */
  void validate() {
    if (threads != null && threads > MAX_THREADS) {
      throw new StructuraException(ErrorCode.INVALID_CONFIGURATION, "'" + threads + "' is not a valid value for --threads: "
          + "at most " + MAX_THREADS + " threads are accepted (this machine has " + Runtime.getRuntime().availableProcessors()
          + " processors).", "Pass --threads from 1 to " + MAX_THREADS + "; more threads than cores only add contention.");
    }
  }

  /** The backend configuration: these flags over system properties over environment over defaults. */
  public BackendConfig toConfig() {
    BackendConfig.Builder b = BackendConfig.builder();
    if (backend != null) {
      b.cli(ConfigKeys.BACKEND, backend, "--backend");
    }
    if (strict != null) {
      b.cli(ConfigKeys.STRICT, strict.toString(), "--strict");
    }
    if (threads != null) {
      b.cli(ConfigKeys.THREADS, threads.toString(), "--threads");
    }
    return b.build();
  }

  /** Whether --verbose was given. */
  public boolean verbose() {
    return verbose;
  }
}
