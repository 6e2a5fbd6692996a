package dev.latchkey.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging for the commands a person reads (admin, users, keys, config): not the server's JSON lines on
 * standard output, where a command prints its result (a key, a secret) for scripts to capture, but
 * warnings alone, as plain lines on standard error. A failure itself is reported once, by {@link Main}.
 * With {@code --verbose}: every INFO line (migrations, the embedded PostgreSQL, audit events) with time,
 * level and logger, and stack traces. {@code latchkey dev}, {@code server} and {@code gateway} replace
 * this with their configured format when they start.
 */
final class CliLogging {
    private CliLogging() {
    }

    static void apply(boolean verbose) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext lc)) {
            return;
        }
        lc.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(lc);
        encoder.setPattern(verbose ? "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg %kvp%n" : "latchkey: %msg%n%nopex");
        encoder.start();
        ConsoleAppender<ILoggingEvent> err = new ConsoleAppender<>();
        err.setContext(lc);
        err.setName("stderr");
        err.setTarget("System.err");
        err.setEncoder(encoder);
        err.start();
        ch.qos.logback.classic.Logger root = lc.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(err);
        root.setLevel(verbose ? Level.INFO : Level.WARN);
        for (String noisy : new String[] {"org.eclipse.jetty", "io.javalin", "io.lettuce", "io.netty", "org.postgresql"}) {
            lc.getLogger(noisy).setLevel(Level.WARN);
        }
        if (!verbose) {
            // their failures reach the command as exceptions, and Main reports those once, in one line
            lc.getLogger("com.zaxxer.hikari").setLevel(Level.OFF);
            lc.getLogger("org.flywaydb").setLevel(Level.OFF);
        }
    }
}
