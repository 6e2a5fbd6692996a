package dev.latchkey.sdk;

import dev.latchkey.sdk.token.VerifiedToken;
import java.util.Objects;
import java.util.Optional;

/**
 * The verified principal of the request the current thread is serving. The servlet filter and the Javalin
 * plugin bind it around the request and unbind it in a {@code finally}, restoring whatever was bound before,
 * so a pooled thread never carries one request's principal into the next. Work handed to another thread
 * (an executor, {@code CompletableFuture}, Javalin's {@code ctx.future}) does not see it: pass the
 * {@link VerifiedToken} explicitly there, or bind it again with {@link #bind}.
 *
 * <p>{@link dev.latchkey.sdk.rls.IdentityDataSource#getConnection()} reads it to learn whose identity a
 * borrowed connection applies.
 */
public final class CurrentPrincipal {
    private static final ThreadLocal<VerifiedToken> CURRENT = new ThreadLocal<>();

    private CurrentPrincipal() {
    }

    /** The principal bound to this thread, if any. */
    public static Optional<VerifiedToken> get() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * Binds {@code principal} to this thread until the returned binding is closed; use it in a
     * try-with-resources. Closing restores the previous binding (or none).
     */
    public static Binding bind(VerifiedToken principal) {
        Objects.requireNonNull(principal, "principal");
        VerifiedToken previous = CURRENT.get();
        CURRENT.set(principal);
        return new Binding(Thread.currentThread(), previous);
    }

    /** Closes a {@link #bind}; must be closed on the thread that opened it. */
    public static final class Binding implements AutoCloseable {
        private final Thread owner;
        private final VerifiedToken previous;
        private boolean closed;

        private Binding(Thread owner, VerifiedToken previous) {
            this.owner = owner;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("a principal binding must be closed on the thread that opened it");
            }
            closed = true;
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
