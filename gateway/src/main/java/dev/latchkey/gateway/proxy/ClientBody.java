package dev.latchkey.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client's request body as the proxy reads it: counted against the limit (a read past it fails with
 * {@link TooLarge}, so a chunked body cannot grow beyond what a declared one may be), and known to have been read to
 * its end or not — when not, the connection cannot carry another request after the answer (RFC 9112 §9.6).
 *
 * <p>The upstream request's body publisher reads it on another thread; once the client has been answered,
 * {@link #discardRest} takes it over (reads are serialized by a lock) and reads what the client is still sending into
 * nothing, for a bounded time, so the connection can be closed without resetting it under the client before it reads
 * the answer (the lingering close of RFC 9112 §9.6).
 */
final class ClientBody extends InputStream {
    /** How long an answered client may go on sending the body it started before the connection is closed anyway. */
    static final Duration LINGER = Duration.ofSeconds(5);

    /** A body past the limit. */
    static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("request body larger than " + max + " bytes");
        }
    }

    private final InputStream in;
    private final long declared;
    private final long max;
    private final ReentrantLock reading = new ReentrantLock();
    private volatile long count;
    private volatile boolean ended;
    private volatile boolean exceeded;
    private volatile boolean answered;
    private volatile boolean unreadable;

    /** @param declared the Content-Length, or -1 (chunked, or none) */
    ClientBody(InputStream in, long declared, long max) {
        this.in = in;
        this.declared = declared;
        this.max = max;
        this.ended = declared == 0;
    }

    /** Every byte of the body has been read: its Content-Length, or up to the end of a chunked one. */
    boolean ended() {
        return ended;
    }

    /** Reading the client's body failed: it does not parse (a bad chunk), or the client broke off mid-body. */
    boolean unreadable() {
        return unreadable;
    }

    /** A read went past the limit. */
    boolean exceeded() {
        return exceeded;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        reading.lock();
        try {
            if (answered) {
                throw new IOException("the client has been answered; the rest of its body is not forwarded");
            }
            if (exceeded) {
                throw new TooLarge(max);
            }
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                // Jetty's parser refuses a malformed chunked body (BadMessageException) or the connection broke: the
                // client's fault, not the upstream's
                unreadable = true;
                throw e instanceof IOException io ? io : new IOException("request body could not be read: " + e.getMessage(), e);
            }
            if (n < 0) {
                ended = true;
                return n;
            }
            long total = count + n;
            count = total;
            if (total > max) {
                exceeded = true;
                throw new TooLarge(max);
            }
            if (total == declared) {
                ended = true;              // all of a Content-Length body: its reader may never ask for the end itself
            }
            return n;
        } finally {
            reading.unlock();
        }
    }

    /** Reads the whole body (known to be at most {@code length} bytes) and its end. */
    byte[] readAll(int length) throws IOException {
        byte[] out = readNBytes(length);
        if (read() >= 0) {
            throw new IOException("request body longer than its Content-Length");
        }
        return out;
    }

    /**
     * After the client has been answered: stops forwarding, and reads the rest of the body into nothing until it ends
     * or {@link #LINGER} has passed. Never fails (a client that hung up has nothing left to read).
     */
    void discardRest() {
        long deadline = System.nanoTime() + LINGER.toNanos();
        reading.lock();
        try {
            answered = true;
            byte[] sink = new byte[16 * 1024];
            while (!ended && System.nanoTime() - deadline < 0) {
                int n = in.read(sink);
                if (n < 0) {
                    ended = true;
                } else {
                    count += n;
                    ended = count == declared;
                }
            }
        } catch (IOException e) {
            // the client went away or the connection failed: nothing to linger for
        } finally {
            reading.unlock();
        }
    }
}
