package dev.latchkey.core.mail;

import java.time.Duration;

/**
 * What a mail says, before rendering. The server turns each into a subject, a plain-text and an
 * HTML body (templates) with links under its public URL. Token values are secrets: never logged.
 */
public sealed interface MailMessage {
    /** Confirm the address the account was created with. */
    record VerifyEmail(String token, Duration validFor) implements MailMessage {
    }

    record ResetPassword(String token, Duration validFor) implements MailMessage {
    }

    /** Passwordless sign-in: a link, and a code to type on the browser that asked. */
    record MagicLink(String token, String code, Duration validFor) implements MailMessage {
    }

    /** Sent to the new address of an e-mail change. */
    record ConfirmNewEmail(String token, String newEmail, Duration validFor) implements MailMessage {
    }

    /** Sent to the old address once the change is done. */
    record EmailChanged(String oldEmail, String newEmail) implements MailMessage {
    }

    /** Someone signed up with an address that already has an account: sign in or reset the password. */
    record SignupAttempted() implements MailMessage {
    }

    /** An invitation into an organization: a link to accept it. */
    record Invitation(String token, String organization, Duration validFor) implements MailMessage {
    }
}
