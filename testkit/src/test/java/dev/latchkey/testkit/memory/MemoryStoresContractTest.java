package dev.latchkey.testkit.memory;

import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.identity.IdentityStore;
import dev.latchkey.core.mail.MailOutbox;
import dev.latchkey.core.mail.MailTokenStore;
import dev.latchkey.testkit.contract.IdentityStoreContract;
import dev.latchkey.testkit.contract.MailOutboxContract;
import dev.latchkey.testkit.contract.MailTokenStoreContract;
import dev.latchkey.testkit.contract.UserProfileContract;
import dev.latchkey.core.authn.PendingSignInStore;
import dev.latchkey.core.credential.recovery.RecoveryCodeStore;
import dev.latchkey.core.credential.totp.TotpStore;
import dev.latchkey.testkit.contract.PendingSignInStoreContract;
import dev.latchkey.testkit.contract.RecoveryCodeStoreContract;
import dev.latchkey.testkit.contract.TotpStoreContract;
import org.junit.jupiter.api.Nested;

/** The in-memory stores pass the same contracts as the PostgreSQL ones. */
class MemoryStoresContractTest {
    @Nested
    class MailTokens extends MailTokenStoreContract {
        final MemoryUserStore users = new MemoryUserStore();
        final MemoryMailTokenStore tokens = new MemoryMailTokenStore(users);

        @Override
        protected UserStore users() {
            return users;
        }

        @Override
        protected MailTokenStore tokens() {
            return tokens;
        }
    }

    @Nested
    class Outbox extends MailOutboxContract {
        final MemoryMailOutbox outbox = new MemoryMailOutbox();

        @Override
        protected MailOutbox outbox() {
            return outbox;
        }
    }

    @Nested
    class Identities extends IdentityStoreContract {
        final MemoryUserStore users = new MemoryUserStore();
        final MemoryIdentityStore identities = new MemoryIdentityStore(users);

        @Override
        protected UserStore users() {
            return users;
        }

        @Override
        protected IdentityStore identities() {
            return identities;
        }
    }

    @Nested
    class Profiles extends UserProfileContract {
        final MemoryUserStore users = new MemoryUserStore();

        @Override
        protected UserStore users() {
            return users;
        }
    }

    @Nested
    class Totp extends TotpStoreContract {
        final MemoryUserStore users = new MemoryUserStore();
        final MemoryTotpStore store = new MemoryTotpStore();

        @Override
        protected UserStore users() {
            return users;
        }

        @Override
        protected TotpStore store() {
            return store;
        }
    }

    @Nested
    class Recovery extends RecoveryCodeStoreContract {
        final MemoryUserStore users = new MemoryUserStore();
        final MemoryRecoveryCodeStore store = new MemoryRecoveryCodeStore();

        @Override
        protected UserStore users() {
            return users;
        }

        @Override
        protected RecoveryCodeStore store() {
            return store;
        }
    }

    @Nested
    class Challenges extends PendingSignInStoreContract {
        final MemoryUserStore users = new MemoryUserStore();
        final MemoryPendingSignInStore store = new MemoryPendingSignInStore();

        @Override
        protected UserStore users() {
            return users;
        }

        @Override
        protected PendingSignInStore store() {
            return store;
        }
    }
}
