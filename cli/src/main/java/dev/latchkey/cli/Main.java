package dev.latchkey.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code latchkey} command. */
@Command(name = "latchkey", mixinStandardHelpOptions = true, version = "Latchkey 0.1.0",
        description = "Self-hosted authentication and authorization.",
        subcommands = {DevCommand.class, ServerCommand.class, KeysCommand.class, UsersCommand.class,
                ConfigCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Main())
                .setExecutionExceptionHandler(new ErrorHandler())
                .execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Configuration and user errors are printed as one clear message, not a stack trace. */
    static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
            if (ex instanceof dev.latchkey.server.config.ConfigException
                    || ex instanceof CliException
                    || ex instanceof dev.latchkey.core.error.LatchkeyException) {
                cmd.getErr().println("latchkey: " + ex.getMessage());
                return 2;
            }
            cmd.getErr().println("latchkey: " + ex);
            ex.printStackTrace(cmd.getErr());
            return 1;
        }
    }
}
