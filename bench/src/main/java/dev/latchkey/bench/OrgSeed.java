package dev.latchkey.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Seeds a Latchkey database (migrated, otherwise empty) for the organization benchmark (docs/benchmarks.md,
 * "Organizations at scale"), set-based inside PostgreSQL ({@code INSERT … SELECT generate_series}), one transaction:
 *
 * <ul>
 *   <li>{@code orgs × members} users: {@code user0001@bench.test}, {@code user0002@bench.test}, … (ids {@code md5('user' || n)}),
 *       all with the password hash of the template user (who signed up through the API first, so the hash carries the
 *       server's pepper and the current Argon2id parameters: a login verifies a real hash, and seeding hashes nothing);</li>
 *   <li>{@code orgs} organizations (ids {@code md5('org' || i)}); organization {@code i} has the users
 *       {@code (i-1)·members+1 … i·members}, each with two roles: {@code role01} and {@code role02…role50};</li>
 *   <li>50 deployment roles {@code role01…role50} of 4 permissions each; every organization {@code i ≡ 1 (mod 10)}
 *       has two roles of its own: a {@code role01} that takes the place of the deployment one there, and
 *       {@code org-admin}, held by that organization's first member;</li>
 *   <li>{@code multi@bench.test}, member of {@code min(200, orgs)} organizations spread over the range;</li>
 *   <li>{@code pair@bench.test}, member of organization 1 and of one more, "Second organization" (id {@code md5('pair-org')},
 *       no other member), so that both databases have a user who meets the organization chooser with the same two
 *       choices.</li>
 * </ul>
 *
 * Ids and times are derived from the numbers, so two seedings of the same size hold the same rows.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.latchkey.bench.OrgSeed JDBC_URL ORGS MEMBERS TEMPLATE_EMAIL</pre>
 */
public final class OrgSeed {
    static final int ROLES = 50;
    static final int MULTI_ORGS = 200;

    private OrgSeed() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: OrgSeed JDBC_URL ORGS MEMBERS_PER_ORG TEMPLATE_EMAIL");
            System.exit(2);
        }
        String url = args[0];
        int orgs = Integer.parseInt(args[1]);
        int members = Integer.parseInt(args[2]);
        String template = args[3];
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            String hash;
            try (PreparedStatement p = c.prepareStatement("SELECT password_hash FROM users WHERE email = ?")) {
                p.setString(1, template);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next() || rs.getString(1) == null) {
                        throw new IllegalStateException("no user " + template + " with a password: sign it up through the API first");
                    }
                    hash = rs.getString(1);
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM organizations")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new IllegalStateException("the database already has organizations: seed a fresh one");
                }
            }
            int users = orgs * members;
            int multiOrgs = Math.min(MULTI_ORGS, orgs);
            int stride = orgs / multiOrgs;
            exec(c, """
                    INSERT INTO users (id, email, email_verified, name, password_hash, status, security_version, created_at, updated_at)
                    SELECT md5('user' || n)::uuid,
                           'user' || CASE WHEN n < 10000 THEN lpad(n::text, 4, '0') ELSE n::text END || '@bench.test',
                           true, 'Bench user ' || n, ?, 'active', 1,
                           timestamptz '2026-01-01 00:00:00+00' + n * interval '1 second',
                           timestamptz '2026-01-01 00:00:00+00' + n * interval '1 second'
                      FROM generate_series(1, ?) n""", hash, users);
            exec(c, """
                    INSERT INTO users (id, email, email_verified, name, password_hash, status, security_version, created_at, updated_at)
                    VALUES (md5('multi')::uuid, 'multi@bench.test', true, 'Member of many', ?, 'active', 1,
                            timestamptz '2026-01-01', timestamptz '2026-01-01')""", hash);
            exec(c, """
                    INSERT INTO roles (org_id, name, description, permissions, updated_at)
                    SELECT NULL, 'role' || lpad(r::text, 2, '0'), 'Bench role ' || r,
                           ARRAY['app' || r || '.docs:read', 'app' || r || '.docs:write', 'app' || r || '.reports:read', 'shared.files:read'],
                           timestamptz '2026-01-01'
                      FROM generate_series(1, ?) r""", ROLES);
            exec(c, """
                    INSERT INTO organizations (id, name, created_at)
                    SELECT md5('org' || i)::uuid, 'Bench organization ' || i, timestamptz '2026-01-01' + i * interval '1 second'
                      FROM generate_series(1, ?) i""", orgs);
            exec(c, """
                    INSERT INTO roles (org_id, name, description, permissions, updated_at)
                    SELECT md5('org' || i)::uuid, r.name, r.description, r.permissions, timestamptz '2026-01-01'
                      FROM generate_series(1, ?) i,
                           (VALUES ('role01', 'Redefined here', ARRAY['app1.docs:read', 'local.notes:read']),
                                   ('org-admin', 'Runs this organization', ARRAY['local.members:write', 'local.notes:read', 'local.notes:write'])
                           ) AS r (name, description, permissions)
                     WHERE i % 10 = 1""", orgs);
            exec(c, """
                    INSERT INTO memberships (org_id, user_id, roles, created_at)
                    SELECT md5('org' || i)::uuid, md5('user' || n)::uuid,
                           CASE WHEN k = 1 AND i % 10 = 1 THEN ARRAY['org-admin', 'role01', 'role' || lpad((2 + n % 49)::text, 2, '0')]
                                ELSE ARRAY['role01', 'role' || lpad((2 + n % 49)::text, 2, '0')] END,
                           timestamptz '2026-02-01' + n * interval '1 second'
                      FROM generate_series(1, ?) i, generate_series(1, ?) k, LATERAL (SELECT (i - 1) * ? + k AS n) u""",
                    orgs, members, members);
            exec(c, """
                    INSERT INTO memberships (org_id, user_id, roles, created_at)
                    SELECT md5('org' || (1 + j * ?))::uuid, md5('multi')::uuid,
                           ARRAY['role01', 'role' || lpad((2 + j % 49)::text, 2, '0')],
                           timestamptz '2026-03-01' + j * interval '1 second'
                      FROM generate_series(0, ? - 1) j""", stride, multiOrgs);
            exec(c, """
                    INSERT INTO users (id, email, email_verified, name, password_hash, status, security_version, created_at, updated_at)
                    VALUES (md5('pair')::uuid, 'pair@bench.test', true, 'Member of two', ?, 'active', 1,
                            timestamptz '2026-01-01', timestamptz '2026-01-01')""", hash);
            exec(c, """
                    INSERT INTO organizations (id, name, created_at)
                    VALUES (md5('pair-org')::uuid, 'Second organization', timestamptz '2026-01-01')""");
            exec(c, """
                    INSERT INTO memberships (org_id, user_id, roles, created_at)
                    VALUES (md5('org1')::uuid, md5('pair')::uuid, ARRAY['role01', 'role02'], timestamptz '2026-03-01'),
                           (md5('pair-org')::uuid, md5('pair')::uuid, ARRAY['role01'], timestamptz '2026-03-02')""");
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE users, organizations, memberships, roles");
            }
            System.out.printf("seeded %,d organizations, %,d users (+ multi@bench.test in %d organizations, pair@bench.test in 2), %,d memberships, %d deployment roles, %,d organization roles in %.1f s%n",
                    orgs, users, multiOrgs, (long) users + multiOrgs, ROLES, 2L * ((orgs + 9) / 10), (System.nanoTime() - t0) / 1e9);
        }
    }

    private static void exec(Connection c, String sql, Object... params) throws Exception {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i]);
            }
            p.executeUpdate();
        }
    }
}
