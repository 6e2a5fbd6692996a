package dev.latchkey.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code latchkey} command. */
@Command(name = "latchkey", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "Latchkey 0.1.0",
        description = "Self-hosted authentication and authorization.",
        subcommands = {DevCommand.class, ServerCommand.class, GatewayCommand.class, AdminCommand.class, KeysCommand.class, UsersCommand.class,
                ConfigCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        int code = commandLine(System.getenv()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The command line, reading its configuration from {@code env} instead of the process environment. */
    static CommandLine commandLine(Map<String, String> env) {
        return new CommandLine(new Main(), new EnvironmentFactory(env)).setExecutionExceptionHandler(new ErrorHandler());
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

    /** Configuration and user errors are printed as one clear message, not a stack trace. */
    static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
            if (ex instanceof dev.latchkey.core.error.LatchkeyException e) {
                // a validation error's message lists every problem; other codes add the operational detail
                boolean validation = e.code() == dev.latchkey.core.error.ErrorCode.VALIDATION_FAILED;
                cmd.getErr().println("latchkey: " + e.publicMessage() + (validation ? "" : " (" + e.getMessage() + ")"));
                return 2;
            }
            if (ex instanceof dev.latchkey.server.config.ConfigException || ex instanceof CliException) {
                cmd.getErr().println("latchkey: " + ex.getMessage());
                return 2;
            }
            cmd.getErr().println("latchkey: " + ex);
            ex.printStackTrace(cmd.getErr());
            return 1;
        }
    }
}
