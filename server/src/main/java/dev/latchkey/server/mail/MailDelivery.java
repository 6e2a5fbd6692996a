package dev.latchkey.server.mail;

import dev.latchkey.core.mail.OutboxDelivery;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background thread that empties the outbox: a round whenever a mail was enqueued on this node,
 * and at least every {@code poll} (mails of other nodes, retries after back-off). Never on a request thread.
 */
public final class MailDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailDelivery.class);

    private final OutboxDelivery delivery;
    private final long pollMillis;
    private final Thread thread;
    private final Object signal = new Object();
    private volatile boolean running = true;
    private boolean woken;

    public MailDelivery(OutboxDelivery delivery, Duration poll) {
        this.delivery = delivery;
        this.pollMillis = poll.toMillis();
        this.thread = Thread.ofPlatform().name("latchkey-mail").daemon().unstarted(this::run);
    }

    public MailDelivery start() {
        thread.start();
        return this;
    }

    /** Asks for a round now (after an enqueue). */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void run() {
        while (running) {
            try {
                while (running && delivery.runOnce() > 0) {
                    // more may be due
                }
            } catch (RuntimeException e) {
                LOG.warn("mail delivery round failed: {}", e.getMessage());
            }
            synchronized (signal) {
                if (!woken && running) {
                    try {
                        signal.wait(pollMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
