package dev.latchkey.bench;

import dev.latchkey.core.org.OrgStore;
import dev.latchkey.core.org.RoleStore;
import dev.latchkey.store.sql.Jdbc;
import dev.latchkey.store.sql.PgOrgStore;
import dev.latchkey.store.sql.PgRefreshFamilyStore;
import dev.latchkey.store.sql.PgRoleStore;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * {@code EXPLAIN (ANALYZE, BUFFERS)} of the statements that put organization claims into a token and list a user's
 * organizations, on a database seeded by {@link OrgSeed}. The statements are not copies: the real {@code PgOrgStore},
 * {@code PgRoleStore} and {@code PgRefreshFamilyStore} methods run once through a connection that records each SQL text
 * and its parameters, and each recorded statement is then explained with the same parameters (writes inside a
 * transaction that is rolled back). What {@code OrgClaims} and {@code OrgSwitch} call:
 *
 * <ul>
 *   <li>{@code OrgStore.primary} (a sign-in without a choice), {@code OrgStore.membership} (every refresh and switch),
 *       {@code RoleStore.permissions} (every mint; in an organization with its own roles and in one without);</li>
 *   <li>{@code OrgStore.organizationsOf} ({@code GET /api/auth/orgs}) for a user of one organization and for the user of 200;</li>
 *   <li>{@code RefreshFamilyStore.chooseOrganization} (the switch), on the newest refresh family of {@code multi@bench.test}
 *       when one exists (after a run).</li>
 * </ul>
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.latchkey.bench.OrgExplain JDBC_URL</pre>
 */
public final class OrgExplain {
    /** One statement the stores issued, with the calls that set its parameters. */
    private record Recorded(String sql, List<Setter> setters) {
    }

    private record Setter(Method method, Object[] args) {
    }

    private final Connection real;
    private final List<Recorded> recorded = new ArrayList<>();

    private OrgExplain(Connection real) {
        this.real = real;
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
        try (Connection c = DriverManager.getConnection(url)) {
            new OrgExplain(c).run();
        }
    }

    private void run() throws Exception {
        Jdbc jdbc = new Jdbc(recordingDataSource());
        OrgStore orgs = new PgOrgStore(jdbc);
        RoleStore roles = new PgRoleStore(jdbc);
        UUID user = uuid("md5('user42')");        // organization 5: no roles of its own
        UUID admin = uuid("md5('user1')");        // organization 1: its own role01 and org-admin
        UUID multi = uuid("md5('multi')");
        UUID org5 = uuid("md5('org5')");
        UUID org1 = uuid("md5('org1')");
        try (Statement s = real.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT (SELECT count(*) FROM organizations), (SELECT count(*) FROM memberships), (SELECT count(*) FROM users), (SELECT count(*) FROM roles), version()")) {
            rs.next();
            System.out.printf("data: %,d organizations, %,d memberships, %,d users, %,d roles; %s%n%n",
                    rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5));
        }
        List<String> labels = new ArrayList<>();
        labels.add("OrgStore.primary (sign-in without a choice): user42");
        orgs.primary(user);
        labels.add("OrgStore.membership (refresh, switch): org5, user42");
        orgs.membership(org5, user);
        labels.add("RoleStore.permissions, organization without roles of its own: org5 [role01, role44]");
        roles.permissions(org5, List.of("role01", "role44"));
        labels.add("RoleStore.permissions, organization with its own role01 and org-admin: org1 [org-admin, role01, role03]");
        roles.permissions(org1, List.of("org-admin", "role01", "role03"));
        labels.add("OrgStore.organizationsOf (GET /api/auth/orgs): user42, one organization");
        orgs.organizationsOf(user);
        labels.add("OrgStore.organizationsOf (GET /api/auth/orgs): multi@bench.test");
        orgs.organizationsOf(multi);
        UUID family = newestFamily(multi);
        if (family != null) {
            labels.add("RefreshFamilyStore.chooseOrganization (POST /api/auth/org): multi's newest family, org1");
            new PgRefreshFamilyStore(jdbc).chooseOrganization(family, org1);
        }
        if (recorded.size() != labels.size()) {
            throw new IllegalStateException("expected one statement per call, recorded " + recorded.size() + ": " + recorded);
        }
        PrintWriter out = new PrintWriter(System.out, true);
        for (int i = 0; i < recorded.size(); i++) {
            explain(labels.get(i), recorded.get(i), out);
        }
    }

    private void explain(String label, Recorded r, PrintWriter out) throws Exception {
        out.println("== " + label);
        out.println(r.sql().strip());
        boolean auto = real.getAutoCommit();
        real.setAutoCommit(false);
        try {
            // warm the plan cache and buffers as the running server has them, then measure
            for (int pass = 0; pass < 2; pass++) {
                try (PreparedStatement p = real.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, SUMMARY) " + r.sql())) {
                    for (Setter s : r.setters()) {
                        s.method().invoke(p, s.args());
                    }
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            if (pass == 1) {
                                out.println("    " + rs.getString(1));
                            }
                        }
                    }
                }
            }
        } finally {
            real.rollback();
            real.setAutoCommit(auto);
        }
        out.println();
    }

    private UUID uuid(String expression) throws Exception {
        try (Statement s = real.createStatement(); ResultSet rs = s.executeQuery("SELECT " + expression + "::uuid")) {
            rs.next();
            return rs.getObject(1, UUID.class);
        }
    }

    private UUID newestFamily(UUID userId) throws Exception {
        try (PreparedStatement p = real.prepareStatement(
                "SELECT id FROM refresh_families WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1")) {
            p.setObject(1, userId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    // ---------------------------------------------------------------- recording proxies

    private DataSource recordingDataSource() {
        Connection conn = proxy(Connection.class, (self, m, a) -> switch (m.getName()) {
            case "close" -> null;                      // one real connection, kept for the EXPLAINs
            case "isClosed" -> false;
            case "prepareStatement" -> recording((PreparedStatement) call(real, m, a), (String) a[0]);
            default -> call(real, m, a);
        });
        return proxy(DataSource.class, (self, m, a) -> switch (m.getName()) {
            case "getConnection" -> conn;
            case "getParentLogger" -> Logger.getGlobal();
            case "unwrap", "isWrapperFor" -> throw new java.sql.SQLFeatureNotSupportedException();
            default -> null;
        });
    }

    private PreparedStatement recording(PreparedStatement ps, String sql) {
        List<Setter> setters = new ArrayList<>();
        return proxy(PreparedStatement.class, (self, m, a) -> {
            if (m.getName().startsWith("set") && a != null && a.length >= 2 && a[0] instanceof Integer) {
                setters.add(new Setter(m, a.clone()));
            }
            if (m.getName().startsWith("execute")) {
                recorded.add(new Recorded(sql, setters));
            }
            return call(ps, m, a);
        });
    }

    private static Object call(Object target, Method m, Object[] a) throws Throwable {
        try {
            return m.invoke(target, a);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler h) {
        return (T) Proxy.newProxyInstance(OrgExplain.class.getClassLoader(), new Class<?>[] {type}, h);
    }
}
