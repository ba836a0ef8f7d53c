package structura.cli;

import picocli.CommandLine.Command;

/** {@code structura kernel}: kernel-matrix tools; see {@link KernelMvmCommand}. */
@Command(name = "kernel", exitCodeOnInvalidInput = ExitCodes.USAGE, mixinStandardHelpOptions = true,
    description = "Kernel-matrix tools.", subcommands = {KernelMvmCommand.class})
final class KernelCommand {}
