package dev.latchkey.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.InputStream;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Applies the configured log format (JSON lines or text) and level at start-up. */
public final class LogSetup {
    private LogSetup() {
    }

    public static void apply(String format, String level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext lc)) {
            return;
        }
        String resource = "json".equals(format) ? "/logback-json.xml" : "/logback-text.xml";
        try (InputStream in = LogSetup.class.getResourceAsStream(resource)) {
            if (in == null) {
                return;
            }
            lc.reset();
            JoranConfigurator jc = new JoranConfigurator();
            jc.setContext(lc);
            jc.doConfigure(in);
        } catch (JoranException | java.io.IOException e) {
            System.err.println("cannot configure logging: " + e.getMessage());
        }
        lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO));
    }
}
