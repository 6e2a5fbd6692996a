package dev.latchkey.core.authn;

import static dev.latchkey.core.authn.World.CTX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.VerificationPolicy;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.mail.MailMessage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The e-mail flows over in-memory stores with a moving clock. */
class MailFlowsTest {
    private static ErrorCode code(Runnable r) {
        try {
            r.run();
        } catch (LatchkeyException e) {
            return e.code();
        }
        throw new AssertionError("no error");
    }

    @Test
    void verificationMarksTheAddressOnceAndOnlyForTheAddressItWasSentTo() {
        World w = new World();
        User u = w.user("correct horse battery");
        assertThat(w.verification.send(u, "binding", CTX)).isTrue();
        String token = w.mailer.last(MailMessage.VerifyEmail.class).token();
        assertThat(w.verification.verify(token, CTX).user().emailVerified()).isTrue();
        assertThat(code(() -> w.verification.verify(token, CTX))).isEqualTo(ErrorCode.MAIL_TOKEN_USED);
        assertThat(w.verification.send(w.fresh(u), null, CTX)).as("already verified").isFalse();
        assertThat(w.audit.ofType(AuditType.EMAIL_VERIFIED)).hasSize(1);
    }

    @Test
    void verificationIsOffWhenThePolicySaysSoOrThereIsNoMail() {
        World off = new World(VerificationPolicy.OFF, List.of());
        assertThat(off.verification.send(off.user("correct horse battery"), null, CTX)).isFalse();
        World noMail = new World();
        noMail.mailer.available(false);
        assertThat(noMail.verification.send(noMail.user("correct horse battery"), null, CTX)).isFalse();
        assertThat(off.mailer.sent()).isEmpty();
    }

    @Test
    void verificationLinksExpire() {
        World w = new World();
        User u = w.user("correct horse battery");
        w.verification.send(u, null, CTX);
        w.clock.advance(Duration.ofHours(24));
        assertThat(code(() -> w.verification.verify(w.mailer.last(MailMessage.VerifyEmail.class).token(), CTX)))
                .isEqualTo(ErrorCode.MAIL_TOKEN_EXPIRED);
        assertThat(w.fresh(u).emailVerified()).isFalse();
    }

    @Test
    void aResetIsMailedOnlyForAnExistingAccountAndTheAnswerIsTheSame() {
        World w = new World();
        User u = w.user("correct horse battery");
        w.reset.request(EmailAddress.parse("nobody-" + UUID.randomUUID() + "@example.test"), CTX);
        assertThat(w.mailer.sent()).isEmpty();
        w.reset.request(u.email(), CTX);
        assertThat(w.mailer.sent()).singleElement().satisfies(s -> assertThat(s.to()).isEqualTo(u.email()));
        assertThat(w.audit.ofType(AuditType.PASSWORD_RESET_REQUESTED)).hasSize(2);
    }

    @Test
    void aResetSetsThePasswordBumpsTheVersionAndWorksOnce() {
        World w = new World();
        User u = w.user("correct horse battery");
        w.reset.request(u.email(), CTX);
        String token = w.mailer.last(MailMessage.ResetPassword.class).token();
        assertThat(code(() -> w.reset.reset(token, "short", CTX))).isEqualTo(ErrorCode.WEAK_PASSWORD);
        assertThat(w.reset.usable(token)).as("a refused password does not spend the link").isTrue();
        w.reset.reset(token, "a brand new passphrase", CTX);
        User after = w.fresh(u);
        assertThat(after.securityVersion()).isEqualTo(u.securityVersion() + 1);
        assertThat(after.emailVerified()).isTrue();
        assertThat(w.flow.password(u.email().value(), "a brand new passphrase", CTX)).isInstanceOf(SignInOutcome.SignedIn.class);
        assertThat(code(() -> w.reset.reset(token, "another passphrase!", CTX))).isEqualTo(ErrorCode.MAIL_TOKEN_USED);
        assertThat(w.audit.ofType(AuditType.PASSWORD_RESET)).hasSize(1);
    }

    @Test
    void aPasswordChangeKillsOutstandingResetLinksAndResetsExpire() {
        World w = new World();
        User u = w.user("correct horse battery");
        w.reset.request(u.email(), CTX);
        String token = w.mailer.last(MailMessage.ResetPassword.class).token();
        w.accounts.changePassword(u.id(), "correct horse battery", "changed passphrase!", CTX);
        assertThat(code(() -> w.reset.reset(token, "a brand new passphrase", CTX))).isEqualTo(ErrorCode.MAIL_TOKEN_INVALID);

        w.reset.request(u.email(), CTX);
        String later = w.mailer.last(MailMessage.ResetPassword.class).token();
        w.clock.advance(Duration.ofMinutes(15));
        assertThat(code(() -> w.reset.reset(later, "a brand new passphrase", CTX))).isEqualTo(ErrorCode.MAIL_TOKEN_EXPIRED);
    }

    @Test
    void tamperedOrMalformedTokensAreRefusedAndChangeNothing() {
        World w = new World();
        User u = w.user("correct horse battery");
        w.reset.request(u.email(), CTX);
        String token = w.mailer.last(MailMessage.ResetPassword.class).token();
        String tampered = (token.charAt(0) == 'A' ? 'B' : 'A') + token.substring(1);
        for (String bad : List.of(tampered, "", "not a token!", "x".repeat(200))) {
            assertThat(code(() -> w.reset.reset(bad, "a brand new passphrase", CTX))).isEqualTo(ErrorCode.MAIL_TOKEN_INVALID);
        }
        assertThat(code(() -> w.verification.verify(token, CTX))).as("a reset link is no verification link")
                .isEqualTo(ErrorCode.MAIL_TOKEN_INVALID);
        assertThat(w.reset.usable(token)).isTrue();
        assertThat(w.fresh(u).securityVersion()).isEqualTo(u.securityVersion());
    }

    @Test
    void aSignInLinkSignsInTheBrowserThatAskedAndAsksAnyOtherToConfirm() {
        World w = new World();
        User u = w.user("correct horse battery");
        w.magicLinks.request(u.email(), "browser-a", "/oauth2/authorize?x=1", CTX);
        MailMessage.MagicLink m = w.mailer.last(MailMessage.MagicLink.class);
        assertThat(m.code()).matches("[0-9]{6}");
        MagicLinks.Opened other = w.magicLinks.open(m.token(), "browser-b", CTX);
        assertThat(other).isInstanceOf(MagicLinks.Opened.ConfirmationNeeded.class);
        assertThat(((MagicLinks.Opened.ConfirmationNeeded) other).maskedEmail()).startsWith("u***@");
        MagicLinks.Opened same = w.magicLinks.open(m.token(), "browser-a", CTX);
        MagicLinks.Opened.Completed done = (MagicLinks.Opened.Completed) same;
        assertThat(done.returnTo()).isEqualTo("/oauth2/authorize?x=1");
        assertThat(((SignInOutcome.SignedIn) done.outcome()).authentication().amr()).containsExactly(Amr.MAIL);
        assertThat(w.fresh(u).emailVerified()).as("the link proved the mailbox").isTrue();
        assertThat(code(() -> w.magicLinks.confirm(m.token(), CTX))).isEqualTo(ErrorCode.MAIL_TOKEN_USED);
    }

    @Test
    void theCodeWorksOnTheAskingBrowserAndFiveWrongTriesKillIt() {
        World w = new World();
        User u = w.user("correct horse battery");
        w.magicLinks.request(u.email(), "browser-a", null, CTX);
        String code = w.mailer.last(MailMessage.MagicLink.class).code();
        assertThat(code(() -> w.magicLinks.code("browser-b", code, CTX))).isEqualTo(ErrorCode.MAIL_TOKEN_INVALID);
        String wrong = code.equals("000000") ? "111111" : "000000";
        assertThat(code(() -> w.magicLinks.code("browser-a", wrong, CTX))).isEqualTo(ErrorCode.MAIL_CODE_INVALID);
        assertThat(w.magicLinks.code("browser-a", code.substring(0, 3) + " " + code.substring(3), CTX).outcome())
                .isInstanceOf(SignInOutcome.SignedIn.class);

        w.magicLinks.request(u.email(), "browser-c", null, CTX);
        String second = w.mailer.last(MailMessage.MagicLink.class).code();
        String bad = second.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 5; i++) {
            w.magicLinks.request(u.email(), "browser-x" + i, null, CTX);
            assertThat(code(() -> w.magicLinks.code("browser-c", bad, CTX))).isEqualTo(ErrorCode.MAIL_CODE_INVALID);
        }
        assertThat(code(() -> w.magicLinks.code("browser-c", second, CTX))).isEqualTo(ErrorCode.MAIL_CODE_INVALID);
    }

    @Test
    void noSignInLinkForAnUnknownOrDisabledAccount() {
        World w = new World();
        w.magicLinks.request(EmailAddress.parse("nobody-" + UUID.randomUUID() + "@example.test"), "b", null, CTX);
        User u = w.user("correct horse battery");
        w.accounts.setStatus(u.id(), dev.latchkey.core.account.UserStatus.DISABLED, CTX);
        w.magicLinks.request(u.email(), "b", null, CTX);
        assertThat(w.mailer.sent()).isEmpty();
    }

    @Test
    void anEmailChangeIsConfirmedFromTheNewMailboxNoticedToTheOldAndBumpsTheVersion() {
        World w = new World();
        User u = w.user("correct horse battery");
        String to = "new-" + UUID.randomUUID() + "@example.test";
        assertThat(code(() -> w.emailChange.request(u.id(), to, "wrong password!", CTX))).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(code(() -> w.emailChange.request(u.id(), u.email().value(), "correct horse battery", CTX)))
                .isEqualTo(ErrorCode.VALIDATION_FAILED);
        w.emailChange.request(u.id(), to, "correct horse battery", CTX);
        assertThat(w.mailer.sent()).singleElement().satisfies(s -> assertThat(s.to().value()).isEqualTo(to));
        assertThat(w.fresh(u).email()).isEqualTo(u.email());
        User changed = w.emailChange.confirm(w.mailer.last(MailMessage.ConfirmNewEmail.class).token(), CTX);
        assertThat(changed.email().value()).isEqualTo(to);
        assertThat(changed.emailVerified()).isTrue();
        assertThat(changed.securityVersion()).isEqualTo(u.securityVersion() + 1);
        MailMessage.EmailChanged notice = w.mailer.last(MailMessage.EmailChanged.class);
        assertThat(notice.oldEmail()).isEqualTo(u.email().value());
        assertThat(w.mailer.sent().get(w.mailer.sent().size() - 1).to()).isEqualTo(u.email());
    }

    @Test
    void anEmailChangeToAnAddressInUseSendsNothingButAnswersTheSame() {
        World w = new World();
        User u = w.user("correct horse battery");
        User other = w.user("correct horse battery");
        EmailAddress answer = w.emailChange.request(u.id(), other.email().value(), "correct horse battery", CTX);
        assertThat(answer).isEqualTo(other.email());
        assertThat(w.mailer.sent()).isEmpty();
    }

    @Test
    void renamingIsAnnouncedAndValidated() {
        World w = new World();
        User u = w.user("correct horse battery");
        assertThat(w.accounts.rename(u.id(), "  Grace  ", CTX).name()).isEqualTo("Grace");
        assertThat(w.users.announcedChanges()).containsExactly(u.id());
        assertThat(w.accounts.rename(u.id(), "", CTX).name()).isNull();
        assertThatThrownBy(() -> w.accounts.rename(u.id(), "bad\nname", CTX)).isInstanceOf(LatchkeyException.class);
        assertThat(code(() -> w.accounts.rename(UUID.randomUUID(), "x", CTX))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(w.audit.ofType(AuditType.PROFILE_CHANGED)).hasSize(2);
    }
}
