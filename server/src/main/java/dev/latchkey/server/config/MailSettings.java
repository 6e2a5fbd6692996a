package dev.latchkey.server.config;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.VerificationPolicy;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.mail.MailFlowPolicy;
import dev.latchkey.core.ratelimit.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads and validates the {@code smtp.*} and {@code email.*} settings (part of {@link ConfigLoader}). */
final class MailSettings {
    /** Reads one setting (recording a parse problem and answering null). */
    interface Reader {
        <T> T get(Setting<T> s);
    }

    private MailSettings() {
    }

    static LatchkeyConfig.Mail read(Reader r, List<String> problems, List<String> warnings, boolean prod) {
        String host = r.get(Settings.SMTP_HOST);
        Optional<LatchkeyConfig.Smtp> smtp = Optional.empty();
        if (host != null && !host.isBlank()) {
            smtp = smtp(r, host.strip(), problems, warnings);
        }
        VerificationPolicy verification = null;
        String v = r.get(Settings.EMAIL_VERIFICATION);
        if (v != null) {
            try {
                verification = VerificationPolicy.parse(v);
            } catch (IllegalArgumentException e) {
                problems.add(Settings.EMAIL_VERIFICATION.envName() + ": " + e.getMessage());
            }
        }
        if (prod && smtp.isEmpty() && verification == VerificationPolicy.REQUIRED) {
            problems.add(Settings.EMAIL_VERIFICATION.envName() + ": required needs mail; set " + Settings.SMTP_HOST.envName()
                    + " (or choose optional or off)");
        }
        Duration verifyTtl = r.get(Settings.EMAIL_VERIFICATION_TTL);
        Duration signInTtl = r.get(Settings.EMAIL_SIGNIN_TTL);
        Duration resetTtl = r.get(Settings.EMAIL_RESET_TTL);
        Boolean magic = r.get(Settings.EMAIL_MAGIC_LINKS);
        Boolean reset = r.get(Settings.EMAIL_PASSWORD_RESET);
        MailFlowPolicy flows = null;
        if (verification != null && verifyTtl != null && signInTtl != null && resetTtl != null && magic != null && reset != null) {
            try {
                flows = new MailFlowPolicy(verification, verifyTtl, signInTtl, resetTtl, magic, reset);
            } catch (IllegalArgumentException e) {
                problems.add("email.*_ttl (" + Settings.EMAIL_VERIFICATION_TTL.envName() + ", " + Settings.EMAIL_SIGNIN_TTL.envName()
                        + ", " + Settings.EMAIL_RESET_TTL.envName() + "): " + e.getMessage());
            }
        }
        String product = r.get(Settings.SMTP_PRODUCT_NAME);
        if (product != null && (product.isBlank() || product.length() > 60 || product.chars().anyMatch(Character::isISOControl))) {
            problems.add(Settings.SMTP_PRODUCT_NAME.envName() + ": 1 to 60 characters without control characters");
        }
        RateLimit perAddress = r.get(Settings.RATE_MAIL_ADDRESS);
        RateLimit perIp = r.get(Settings.RATE_MAIL_IP);
        Duration invitationTtl = r.get(Settings.EMAIL_INVITATION_TTL);
        if (invitationTtl != null && (invitationTtl.compareTo(Duration.ofHours(1)) < 0 || invitationTtl.compareTo(Duration.ofDays(30)) > 0)) {
            problems.add(Settings.EMAIL_INVITATION_TTL.envName() + ": must be between 1 hour and 30 days");
        }
        return new LatchkeyConfig.Mail(smtp, product == null ? "Latchkey" : product.strip(), flows, perAddress, perIp,
                invitationTtl == null ? Duration.ofDays(7) : invitationTtl);
    }

    private static Optional<LatchkeyConfig.Smtp> smtp(Reader r, String host, List<String> problems, List<String> warnings) {
        Integer port = r.get(Settings.SMTP_PORT);
        if (port != null && (port < 1 || port > 65535)) {
            problems.add(Settings.SMTP_PORT.envName() + ": must be between 1 and 65535");
        }
        if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == ':' && host.indexOf(']') < 0)) {
            problems.add(Settings.SMTP_HOST.envName() + ": a host name or IP address, without scheme or port");
        }
        LatchkeyConfig.SmtpTls tls = null;
        String t = r.get(Settings.SMTP_TLS);
        if (t != null) {
            try {
                tls = LatchkeyConfig.SmtpTls.valueOf(t.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(Settings.SMTP_TLS.envName() + ": must be starttls, tls or none");
            }
        }
        String user = r.get(Settings.SMTP_USER);
        String password = r.get(Settings.SMTP_PASSWORD);
        boolean hasUser = user != null && !user.isBlank();
        boolean hasPassword = password != null && !password.isEmpty();
        if (hasUser != hasPassword) {
            problems.add(Settings.SMTP_USER.envName() + "/" + Settings.SMTP_PASSWORD.envName() + ": set both or neither");
        }
        if (tls == LatchkeyConfig.SmtpTls.NONE && hasPassword && !isLoopback(host)) {
            warnings.add("SMTP credentials are sent without TLS to " + host + " (" + Settings.SMTP_TLS.envName() + "=none)");
        }
        String from = r.get(Settings.SMTP_FROM);
        if (from == null || from.isBlank()) {
            problems.add(Settings.SMTP_FROM.envName() + ": required when " + Settings.SMTP_HOST.envName() + " is set (e.g. login@example.com)");
        } else {
            try {
                EmailAddress.parse(from);
            } catch (LatchkeyException e) {
                problems.add(Settings.SMTP_FROM.envName() + ": not an e-mail address");
            }
        }
        if (port == null || tls == null || from == null || from.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new LatchkeyConfig.Smtp(host, port, tls, hasUser ? Optional.of(user.strip()) : Optional.empty(),
                hasPassword ? Optional.of(password) : Optional.empty(), from.strip()));
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1") || host.equals("[::1]");
    }
}
