package dev.latchkey.server.revocation;

import dev.latchkey.core.session.Revocation;
import dev.latchkey.store.sql.PgRevocationLog;
import dev.latchkey.store.sql.PgUserStore;
import dev.latchkey.store.sql.PostgresUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers revocations to this node as they are committed anywhere: a dedicated connection
 * LISTENs on {@code latchkey_revocations} (a trigger NOTIFYs on every insert into the log), and
 * each notification makes the bus read the log after the last entry it saw. After a lost
 * connection every listener is told to drop everything it caches, since entries may have been missed.
 */
public final class RevocationBus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationBus.class);

    /** Reacts to revocations. */
    public interface Listener {
        void revoked(Revocation r);

        /** Entries may have been missed: forget all cached state. */
        void resync();

        /** A user's profile changed on some node (not a revocation): forget what is cached of it. */
        default void userChanged(java.util.UUID userId) {
        }
    }

    private final PostgresUrl url;
    private final PgRevocationLog log;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastSeq;
    private volatile Connection connection;

    public RevocationBus(PostgresUrl url, PgRevocationLog log) {
        this.url = url;
        this.log = log;
        this.lastSeq = log.head();
        this.thread = Thread.ofPlatform().name("latchkey-revocation-bus").daemon().unstarted(this::run);
    }

    public void subscribe(Listener l) {
        listeners.add(l);
    }

    /** Stops delivering to {@code l} (a revocation-feed connection that ended). */
    public void unsubscribe(Listener l) {
        listeners.remove(l);
    }

    public RevocationBus start() {
        thread.start();
        return this;
    }

    /** The newest entry this node has applied. */
    public long lastSeq() {
        return lastSeq;
    }

    private void run() {
        long backoff = 250;
        while (running) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN latchkey_revocations");
                    st.execute("LISTEN " + PgUserStore.USER_CHANGES_CHANNEL);
                }
                drain();          // anything committed while we were not listening
                backoff = 250;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] n = pg.getNotifications(5_000);
                    if (n != null && n.length > 0) {
                        userChanges(n);
                        if (java.util.Arrays.stream(n).anyMatch(x -> !PgUserStore.USER_CHANGES_CHANNEL.equals(x.getName()))) {
                            drain();
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("revocation bus lost its connection ({}); caches are reset and it reconnects", e.getMessage());
                listeners.forEach(Listener::resync);
                sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private void userChanges(PGNotification[] notifications) {
        for (PGNotification x : notifications) {
            if (!PgUserStore.USER_CHANGES_CHANNEL.equals(x.getName())) {
                continue;
            }
            java.util.UUID id;
            try {
                id = java.util.UUID.fromString(x.getParameter());
            } catch (IllegalArgumentException e) {
                continue;
            }
            for (Listener l : listeners) {
                try {
                    l.userChanged(id);
                } catch (RuntimeException e) {
                    LOG.error("user-change listener failed: {}", e.getMessage(), e);
                }
            }
        }
    }

    /** Applies every log entry after the last one seen; safe to call from any thread. */
    public synchronized void drain() {
        while (true) {
            List<Revocation> batch = log.after(lastSeq, 500);
            for (Revocation r : batch) {
                for (Listener l : listeners) {
                    try {
                        l.revoked(r);
                    } catch (RuntimeException e) {
                        LOG.error("revocation listener failed: {}", e.getMessage(), e);
                    }
                }
                lastSeq = r.seq();
            }
            if (batch.size() < 500) {
                return;
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (url.user() != null) {
            p.setProperty("user", url.user());
        }
        if (url.password() != null) {
            p.setProperty("password", url.password());
        }
        p.setProperty("ApplicationName", "latchkey-revocation-bus");
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(url.jdbcUrl(), p);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // shutting down
            }
        }
        thread.interrupt();
    }
}
