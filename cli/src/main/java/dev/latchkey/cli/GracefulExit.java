package dev.latchkey.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a long-running command ({@code server}, {@code gateway}, {@code dev}) ends. On SIGTERM (what orchestrators
 * send), SIGINT (Ctrl-C) or SIGHUP the JVM runs its shutdown hooks; this one logs that the command is stopping,
 * closes what it runs — a server drains first: requests in flight finish — and then ends the JVM with status 0
 * (1 if closing failed) instead of the 143 (128 + SIGTERM) the JVM would otherwise report for a clean stop.
 */
final class GracefulExit {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulExit.class);

    private GracefulExit() {
    }

    /** Blocks until the JVM is asked to stop, then closes {@code running} and ends the JVM. */
    static void awaitSignal(AutoCloseable running) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping (SIGTERM, SIGINT or SIGHUP)");
            int status = 0;
            try {
                running.close();
            } catch (Exception | Error e) {
                LOG.error("stopping failed: {}", e.toString(), e);
                status = 1;
            }
            System.out.flush();
            System.err.flush();
            // the work of the other hooks is done by close(); halt reports the outcome instead of the signal
            Runtime.getRuntime().halt(status);
        }, "latchkey-shutdown"));
        try {
            new CountDownLatch(1).await();         // until the hook ends the JVM
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
