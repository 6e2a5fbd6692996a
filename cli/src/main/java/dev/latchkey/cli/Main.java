package dev.latchkey.cli;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.gateway.config.GatewayConfigException;
import dev.latchkey.server.config.ConfigException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code latchkey} command. */
@Command(name = "latchkey", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "Latchkey 0.1.0",
        description = "Self-hosted authentication and authorization.",
        subcommands = {DevCommand.class, ServerCommand.class, GatewayCommand.class, AdminCommand.class, KeysCommand.class, UsersCommand.class, IdpCommand.class,
                ConfigCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    static final String VERBOSE = "--verbose";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = VERBOSE, scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of a failure, and what the command logs as it works.")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        int code = commandLine(System.getenv())
                .setExecutionStrategy(parsed -> {
                    // this process is the command: its log lines are the ones a person reads, on stderr
                    CliLogging.apply(verbose(parsed));
                    return new CommandLine.RunLast().execute(parsed);
                })
                .execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The command line, reading its configuration from {@code env} instead of the process environment. */
    static CommandLine commandLine(Map<String, String> env) {
        return new CommandLine(new Main(), new EnvironmentFactory(env)).setExecutionExceptionHandler(new ErrorHandler());
    }

    /** Whether {@code --verbose} was given, before or after the subcommand. */
    static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /** Gives every command's {@link ConfigOptions} the same environment. */
    private record EnvironmentFactory(Map<String, String> env) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == ConfigOptions.class) {
                return type.cast(new ConfigOptions(env));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    /**
     * Every failure is one message on stderr (what failed, what to do) and a non-zero exit code: 2 for
     * what the user can fix (configuration, arguments, input), 1 for the rest. The stack trace only with
     * {@code --verbose}.
     */
    static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
            boolean verbose = verbose(parseResult);
            PrintWriter err = cmd.getErr();
            int code = 2;
            if (ex instanceof LatchkeyException e) {
                // a validation error's message lists every problem; other codes add the operational detail
                boolean validation = e.code() == ErrorCode.VALIDATION_FAILED;
                err.println("latchkey: " + e.publicMessage() + (validation ? "" : " (" + e.getMessage() + ")"));
            } else if (ex instanceof ConfigException || ex instanceof GatewayConfigException || ex instanceof CliException) {
                err.println("latchkey: " + ex.getMessage());
            } else {
                String command = cmd.getCommandSpec().qualifiedName(" ");
                err.println("latchkey: " + (command.equals("latchkey") ? "" : command.substring("latchkey ".length()) + ": ")
                        + Failures.describe(ex) + (verbose ? "" : " (run it again with " + VERBOSE + " for the details)"));
                code = 1;
            }
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        }
    }
}
