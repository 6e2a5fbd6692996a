package dev.latchkey.store.sql;

import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.authn.PendingSignInStore;
import dev.latchkey.core.credential.passkey.PasskeyChallengeStore;
import dev.latchkey.core.credential.passkey.PasskeyStore;
import dev.latchkey.core.credential.recovery.RecoveryCodeStore;
import dev.latchkey.core.credential.totp.TotpStore;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.identity.IdentityStore;
import dev.latchkey.core.identity.ProviderStore;
import dev.latchkey.core.identity.UpstreamFlowStore;
import dev.latchkey.core.mail.MailOutbox;
import dev.latchkey.core.mail.MailTokenStore;
import dev.latchkey.testkit.contract.IdentityStoreContract;
import dev.latchkey.testkit.contract.MailOutboxContract;
import dev.latchkey.testkit.contract.MailTokenStoreContract;
import dev.latchkey.testkit.contract.PasskeyChallengeStoreContract;
import dev.latchkey.testkit.contract.PasskeyStoreContract;
import dev.latchkey.testkit.contract.PendingSignInStoreContract;
import dev.latchkey.testkit.contract.ProviderStoreContract;
import dev.latchkey.testkit.contract.RecoveryCodeStoreContract;
import dev.latchkey.testkit.contract.TotpStoreContract;
import dev.latchkey.testkit.contract.UpstreamFlowStoreContract;
import dev.latchkey.testkit.contract.UserProfileContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/** The PostgreSQL stores against the storage contracts (the same ones the in-memory stores pass). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgStoresContractTest {
    StoreFixture fx;

    @BeforeAll
    void open() {
        fx = new StoreFixture();
    }

    @AfterAll
    void close() {
        fx.close();
    }

    @Nested
    class ServiceAccounts extends dev.latchkey.testkit.contract.ServiceAccountStoreContract {
        @Override
        protected dev.latchkey.core.org.ServiceAccountStore accounts() {
            return new PgServiceAccountStore(fx.jdbc);
        }

        @Override
        protected java.util.UUID newOrg() {
            java.util.UUID id = dev.latchkey.core.id.UuidV7.next();
            new PgOrgStore(fx.jdbc).create(new dev.latchkey.core.org.Organization(id, "Contract org", java.time.Instant.now()));
            return id;
        }

        @Override
        protected int announcements(java.util.UUID accountId) {
            return fx.jdbc.queryOne("SELECT count(*) FROM revocations WHERE kind = 'service_account_disabled' AND user_id = ?",
                    rs -> rs.getInt(1), accountId).orElseThrow();
        }
    }

    @Nested
    class Roles extends dev.latchkey.testkit.contract.RoleStoreContract {
        @Override
        protected dev.latchkey.core.org.RoleStore roles() {
            return new PgRoleStore(fx.jdbc);
        }

        @Override
        protected java.util.UUID newOrg() {
            java.util.UUID id = dev.latchkey.core.id.UuidV7.next();
            new PgOrgStore(fx.jdbc).create(new dev.latchkey.core.org.Organization(id, "Contract org", java.time.Instant.now()));
            return id;
        }
    }

    @Nested
    class MailTokens extends MailTokenStoreContract {
        @Override
        protected UserStore users() {
            return fx.users;
        }

        @Override
        protected MailTokenStore tokens() {
            return new PgMailTokenStore(fx.jdbc);
        }
    }

    @Nested
    class Outbox extends MailOutboxContract {
        final PgMailOutbox outbox = new PgMailOutbox(fx.jdbc, MasterKey.generate());

        @Override
        protected MailOutbox outbox() {
            return outbox;
        }
    }

    @Nested
    class Identities extends IdentityStoreContract {
        @Override
        protected UserStore users() {
            return fx.users;
        }

        @Override
        protected IdentityStore identities() {
            return new PgIdentityStore(fx.jdbc);
        }
    }

    @Nested
    class Profiles extends UserProfileContract {
        @Override
        protected UserStore users() {
            return fx.users;
        }
    }

    @Nested
    class UpstreamFlows extends UpstreamFlowStoreContract {
        final PgUpstreamFlowStore flows = new PgUpstreamFlowStore(fx.jdbc, MasterKey.generate());

        @Override
        protected UserStore users() {
            return fx.users;
        }

        @Override
        protected UpstreamFlowStore flows() {
            return flows;
        }
    }

    @Nested
    class Providers extends ProviderStoreContract {
        final PgProviderStore store = new PgProviderStore(fx.jdbc, MasterKey.generate(), Clock.systemUTC());

        @Override
        protected ProviderStore store() {
            return store;
        }
    }

    @Nested
    class Passkeys extends PasskeyStoreContract {
        @Override
        protected UserStore users() {
            return fx.users;
        }

        @Override
        protected PasskeyStore passkeys() {
            return new PgPasskeyStore(fx.jdbc);
        }
    }

    @Nested
    class PasskeyChallenges extends PasskeyChallengeStoreContract {
        @Override
        protected UserStore users() {
            return fx.users;
        }

        @Override
        protected PasskeyChallengeStore challenges() {
            return new PgPasskeyChallengeStore(fx.jdbc);
        }
    }

    @Nested
    class Totp extends TotpStoreContract {
        @Override
        protected UserStore users() {
            return fx.users;
        }

        @Override
        protected TotpStore store() {
            return new PgTotpStore(fx.jdbc);
        }
    }

    @Nested
    class Recovery extends RecoveryCodeStoreContract {
        @Override
        protected UserStore users() {
            return fx.users;
        }

        @Override
        protected RecoveryCodeStore store() {
            return new PgRecoveryCodeStore(fx.jdbc);
        }
    }

    @Nested
    class Challenges extends PendingSignInStoreContract {
        @Override
        protected UserStore users() {
            return fx.users;
        }

        @Override
        protected PendingSignInStore store() {
            return new PgPendingSignInStore(fx.jdbc);
        }
    }
}
