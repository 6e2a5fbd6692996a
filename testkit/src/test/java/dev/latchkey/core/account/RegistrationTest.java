package dev.latchkey.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.authn.World;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.mail.MailMessage;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Sign-up that conceals taken addresses while verification is required, and costs the same work either way. */
class RegistrationTest {
    static final String PASSWORD = "correct horse battery";

    static String address() {
        return "reg-" + UUID.randomUUID() + "@example.test";
    }

    @Test
    void aTakenAddressLooksNewMailsTheOwnerAndIsAudited() {
        World w = new World(VerificationPolicy.REQUIRED, List.of());
        String email = address();
        User owner = ((Registration.Created) w.registration.signup(new SignupRequest(email, PASSWORD, "Ada"), World.CTX)).user();
        int hashes = w.hasher.hashes();
        int mails = w.mailer.sent().size();

        Registration.Outcome again = w.registration.signup(new SignupRequest(email.toUpperCase(), "another fine passphrase", "Eve"), World.CTX);

        assertThat(again).isInstanceOf(Registration.ExistingAddress.class);
        Registration.ExistingAddress x = (Registration.ExistingAddress) again;
        assertThat(x.email()).isEqualTo(owner.email());
        assertThat(x.decoyId()).isNotEqualTo(owner.id());
        assertThat(w.hasher.hashes() - hashes).as("the password is hashed as for a new account").isEqualTo(1);
        assertThat(w.mailer.sent()).hasSize(mails + 1);
        assertThat(w.mailer.sent().get(mails).to()).isEqualTo(owner.email());
        assertThat(w.mailer.sent().get(mails).message()).isInstanceOf(MailMessage.SignupAttempted.class);
        assertThat(w.audit.ofType(AuditType.SIGNUP_EXISTING_ADDRESS)).singleElement()
                .satisfies(e -> assertThat(e.userId()).isEqualTo(owner.id()));
        assertThat(w.fresh(owner).name()).isEqualTo("Ada");
    }

    @Test
    void aNewAddressCostsOneHashToo() {
        World w = new World(VerificationPolicy.REQUIRED, List.of());
        int hashes = w.hasher.hashes();
        assertThat(w.registration.signup(new SignupRequest(address(), PASSWORD, null), World.CTX)).isInstanceOf(Registration.Created.class);
        assertThat(w.hasher.hashes() - hashes).isEqualTo(1);
        assertThat(w.audit.ofType(AuditType.SIGNUP_EXISTING_ADDRESS)).isEmpty();
    }

    @Test
    void aDisabledOwnerIsNotMailedButTheAnswerIsTheSame() {
        World w = new World(VerificationPolicy.REQUIRED, List.of());
        String email = address();
        User owner = ((Registration.Created) w.registration.signup(new SignupRequest(email, PASSWORD, null), World.CTX)).user();
        w.users.setStatus(owner.id(), UserStatus.DISABLED, w.clock.instant());
        int mails = w.mailer.sent().size();
        assertThat(w.registration.signup(new SignupRequest(email, PASSWORD, null), World.CTX)).isInstanceOf(Registration.ExistingAddress.class);
        assertThat(w.mailer.sent()).hasSize(mails);
        assertThat(w.audit.ofType(AuditType.SIGNUP_EXISTING_ADDRESS)).hasSize(1);
    }

    @Test
    void withoutRequiredVerificationOrMailATakenAddressIsRefused() {
        for (VerificationPolicy p : new VerificationPolicy[] {VerificationPolicy.OPTIONAL, VerificationPolicy.OFF}) {
            World w = new World(p, List.of());
            String email = address();
            w.registration.signup(new SignupRequest(email, PASSWORD, null), World.CTX);
            assertThat(w.registration.concealsExistingAddresses()).isFalse();
            assertThatThrownBy(() -> w.registration.signup(new SignupRequest(email, PASSWORD, null), World.CTX))
                    .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.EMAIL_TAKEN);
        }
        World w = new World(VerificationPolicy.REQUIRED, List.of());
        w.mailer.available(false);
        String email = address();
        w.registration.signup(new SignupRequest(email, PASSWORD, null), World.CTX);
        assertThatThrownBy(() -> w.registration.signup(new SignupRequest(email, PASSWORD, null), World.CTX))
                .extracting(e -> ((LatchkeyException) e).code()).isEqualTo(ErrorCode.EMAIL_TAKEN);
    }
}
