package dev.latchkey.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The organization endpoints of the first-party API under load, measured like {@code ../shared/bench/Load.java} does
 * (closed loop of virtual users over keep-alive HTTP/1.1, a warm-up thrown away, samples that start and end in the
 * measured phase, server CPU from {@code /proc} over that phase), for what Load.java has no scenario for:
 *
 * <ul>
 *   <li>{@code orgs}: {@code GET /api/auth/orgs} with the Bearer token of a first-party login (each virtual user its own
 *       user), what the organization chooser renders; a response must list at least one organization;</li>
 *   <li>{@code switch}: {@code POST /api/auth/org {"org_id": …}} with the rotating refresh cookie and {@code X-CSRF: 1},
 *       each step to the next of the user's organizations (listed once at setup). A step is exactly one HTTP request (no
 *       redirect is followed; the generator counts what it sends) and succeeds only if it answers 200 with an access token
 *       whose {@code org} claim is the organization asked for;</li>
 *   <li>{@code chooser}: the organization chooser inside the authorization-code flow of the confidential first-party
 *       client {@code --client-id}/{@code --client-secret} (PKCE S256), for a user who is already signed in to the hosted
 *       login (signed in once at setup, so that no sample pays Argon2id): {@code GET /oauth2/authorize} → redirect to
 *       the chooser → {@code GET} the chooser page (must list at least two organizations) → {@code POST} the next
 *       organization with the page's CSRF token → redirects to the {@code redirect_uri} with a code → token request. A
 *       sample succeeds only if the access token's {@code org} claim is the organization chosen.</li>
 * </ul>
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.latchkey.bench.OrgLoad --base http://127.0.0.1:8080 --scenario switch \
 *     --user-pattern multi@bench.test --user-count 1 --concurrency 8 --warmup 5 --duration 15 \
 *     --server-pid "$LK_PID,$PG_PID" --label 10k --out results.tsv</pre>
 */
public final class OrgLoad {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern ACCESS = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ORG_CLAIM = Pattern.compile("\"org\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private final Map<String, String> opt;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    /** HTTP requests sent by the current virtual user (one virtual thread each). */
    private final ThreadLocal<long[]> sent = ThreadLocal.withInitial(() -> new long[1]);
    private final AtomicLong measuredRequests = new AtomicLong();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final Set<Integer> orgsPerResponse = ConcurrentHashMap.newKeySet();
    private volatile long measureFrom;
    private volatile long measureTo;

    private OrgLoad(Map<String, String> opt) {
        this.opt = opt;
        this.base = URI.create(opt.get("base"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("concurrency", "8", "warmup", "5", "duration", "15",
                "password", "Passw0rd!x", "user-pattern", "user%04d@bench.test", "user-count", "1000", "label", "orgload"));
        Set<String> known = Set.of("base", "scenario", "concurrency", "warmup", "duration", "password", "user-pattern",
                "user-count", "server-pid", "label", "out", "client-id", "client-secret", "redirect-uri");
        for (int i = 0; i < args.length; i += 2) {
            String k = args[i].replaceFirst("^--", "");
            if (!known.contains(k) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown or incomplete option " + args[i] + "; known: " + known);
            }
            opt.put(k, args[i + 1]);
        }
        if (!opt.containsKey("base") || !Set.of("orgs", "switch", "chooser").contains(opt.get("scenario"))) {
            throw new IllegalArgumentException("--base URL and --scenario orgs|switch|chooser are required");
        }
        if ("chooser".equals(opt.get("scenario")) && !(opt.containsKey("client-id") && opt.containsKey("client-secret"))) {
            throw new IllegalArgumentException("--scenario chooser needs --client-id and --client-secret");
        }
        new OrgLoad(opt).run();
    }

    /** One virtual user: setup once (outside the measured phase), then steps. */
    private interface VUser {
        void setup() throws Exception;

        void step() throws Exception;
    }

    private static final class Fail extends Exception {
        Fail(String message) {
            super(message, null, false, false);
        }
    }

    private void run() throws Exception {
        int concurrency = Integer.parseInt(opt.get("concurrency"));
        int warmup = Integer.parseInt(opt.get("warmup"));
        int duration = Integer.parseInt(opt.get("duration"));
        int userCount = Integer.parseInt(opt.get("user-count"));
        List<Long> pids = opt.containsKey("server-pid")
                ? Arrays.stream(opt.get("server-pid").split(",")).map(String::trim).map(Long::parseLong).toList() : List.of();
        List<VUser> users = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            String email = String.format(Locale.ROOT, opt.get("user-pattern"), 1 + w % userCount);
            users.add(switch (opt.get("scenario")) {
                case "orgs" -> new Lister(email);
                case "switch" -> new Switcher(email);
                default -> new Chooser(email);
            });
        }
        for (VUser u : users) {
            u.setup();
        }
        long start = System.nanoTime();
        measureFrom = start + warmup * 1_000_000_000L;
        measureTo = measureFrom + duration * 1_000_000_000L;
        List<long[]> latencies = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(concurrency);
        long[][] cpu = new long[2][];
        Thread sampler = Thread.ofPlatform().start(() -> {
            sleepUntil(measureFrom);
            cpu[0] = cpuSample(pids);
            sleepUntil(measureTo);
            cpu[1] = cpuSample(pids);
        });
        for (VUser u : users) {
            long[] mine = new long[500_000];
            latencies.add(mine);
            Thread.ofVirtual().start(() -> {
                int n = 1;
                try {
                    while (System.nanoTime() < measureTo) {
                        long before = sent.get()[0];
                        long t0 = System.nanoTime();
                        boolean ok;
                        try {
                            u.step();
                            ok = true;
                        } catch (Exception e) {
                            errors.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(), k -> new AtomicLong()).incrementAndGet();
                            ok = false;
                        }
                        long t1 = System.nanoTime();
                        if (ok && t0 >= measureFrom && t1 <= measureTo && n < mine.length) {
                            mine[n++] = t1 - t0;
                            measuredRequests.addAndGet(sent.get()[0] - before);
                        }
                    }
                } finally {
                    mine[0] = n - 1;
                    done.countDown();
                }
            });
        }
        done.await();
        sampler.join();
        report(latencies, cpu, duration);
    }

    private void report(List<long[]> latencies, long[][] cpu, int duration) throws IOException {
        int total = 0;
        for (long[] l : latencies) {
            total += (int) l[0];
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] l : latencies) {
            System.arraycopy(l, 1, all, at, (int) l[0]);
            at += (int) l[0];
        }
        Arrays.sort(all);
        double rps = total / (double) duration;
        long errorCount = errors.values().stream().mapToLong(AtomicLong::get).sum();
        double ticks = 100.0;   // USER_HZ
        double serverMs = Double.NaN;
        double genPct = Double.NaN;
        double otherPct = Double.NaN;
        if (cpu[0] != null && cpu[1] != null) {
            double server = (cpu[1][2] - cpu[0][2]) / ticks;
            double self = (cpu[1][3] - cpu[0][3]) / ticks;
            double busy = (cpu[1][1] - cpu[0][1]) / ticks;
            serverMs = cpu[0][2] < 0 || total == 0 ? Double.NaN : server * 1000 / total;
            genPct = self * 100 / duration;
            otherPct = (busy - self - (cpu[0][2] < 0 ? 0 : server)) * 100 / duration;
        }
        // HTTP requests the measured samples sent, per sample (each virtual user counts what it sends)
        double perSample = total == 0 ? Double.NaN : measuredRequests.get() / (double) total;
        String orgs = orgsPerResponse.stream().sorted().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("");
        System.out.printf(Locale.ROOT, "%s %s c=%s: %,d samples, %.1f req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, "
                        + "%d errors, server CPU %.3f ms/op, generator %.0f%%, other %.0f%%, HTTP requests per sample %.3f, orgs per answer %s%n",
                opt.get("label"), opt.get("scenario"), opt.get("concurrency"), total, rps, ms(all, 0.50), ms(all, 0.90), ms(all, 0.99),
                all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6, errorCount, serverMs, genPct, otherPct, perSample, orgs);
        errors.forEach((k, v) -> System.out.println("  error x" + v.get() + ": " + k));
        if (opt.containsKey("out")) {
            Path out = Path.of(opt.get("out"));
            StringBuilder sb = new StringBuilder();
            if (!Files.exists(out)) {
                sb.append("label\tscenario\tconcurrency\tduration_s\tsamples\treq_per_s\tp50_ms\tp90_ms\tp99_ms\tmax_ms\terrors\t"
                        + "server_cpu_ms_per_op\tloadgen_cpu_pct_of_core\tother_cpu_pct_of_core\thttp_requests_per_sample\torgs_per_answer\n");
            }
            sb.append(String.format(Locale.ROOT, "%s\t%s\t%s\t%d\t%d\t%.1f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t%.3f\t%.0f\t%.0f\t%.3f\t%s%n",
                    opt.get("label"), "org-" + opt.get("scenario"), opt.get("concurrency"), duration, total, rps, ms(all, 0.50), ms(all, 0.90),
                    ms(all, 0.99), all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6, errorCount, serverMs, genPct, otherPct, perSample, orgs));
            Files.writeString(out, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private static double ms(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }

    // ---------------------------------------------------------------- the three scenarios

    private final class Lister implements VUser {
        private final String email;
        private String bearer;

        Lister(String email) {
            this.email = email;
        }

        @Override
        public void setup() throws Exception {
            bearer = accessToken(login(email, new HashMap<>()));
        }

        @Override
        public void step() throws Exception {
            HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/api/auth/orgs"))
                    .header("Authorization", "Bearer " + bearer).GET().build());
            if (r.statusCode() != 200) {
                throw new Fail("status " + r.statusCode() + " " + snippet(r.body()));
            }
            int n = count(ID.matcher(r.body()));
            if (n == 0) {
                throw new Fail("no organization listed: " + snippet(r.body()));
            }
            orgsPerResponse.add(n);
        }
    }

    private final class Switcher implements VUser {
        private final String email;
        private final Map<String, String> cookies = new HashMap<>();
        private List<String> orgIds;
        private int next;

        Switcher(String email) {
            this.email = email;
        }

        @Override
        public void setup() throws Exception {
            String bearer = accessToken(login(email, cookies));
            HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/api/auth/orgs"))
                    .header("Authorization", "Bearer " + bearer).GET().build());
            Matcher m = ID.matcher(r.body());
            orgIds = new ArrayList<>();
            while (m.find()) {
                orgIds.add(m.group(1));
            }
            if (r.statusCode() != 200 || orgIds.isEmpty()) {
                throw new IllegalStateException(email + " lists no organization: " + r.statusCode() + " " + snippet(r.body()));
            }
            next = Math.floorMod(email.hashCode() + System.identityHashCode(this), orgIds.size());
        }

        @Override
        public void step() throws Exception {
            String org = orgIds.get(next++ % orgIds.size());
            HttpResponse<String> r = send(withCookies(HttpRequest.newBuilder(base.resolve("/api/auth/org")), cookies)
                    .header("Content-Type", "application/json").header("X-CSRF", "1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"org_id\":\"" + org + "\"}")).build());
            take(r, cookies);
            if (r.statusCode() != 200) {
                throw new Fail("status " + r.statusCode() + " " + snippet(r.body()));
            }
            Matcher claim = ORG_CLAIM.matcher(payload(accessToken(r)));
            if (!claim.find() || !claim.group(1).equals(org)) {
                throw new Fail("token not for the organization asked for");
            }
            orgsPerResponse.add(orgIds.size());
        }
    }


    private final class Chooser implements VUser {
        private final String email;
        private final Map<String, String> cookies = new HashMap<>();
        private final String redirect = opt.getOrDefault("redirect-uri", "http://127.0.0.1:9999/cb");
        private int next;

        Chooser(String email) {
            this.email = email;
        }

        @Override
        public void setup() throws Exception {
            Flow f = authorize();
            HttpResponse<String> page = f.page;
            Form login = Form.find(page.body(), "password");
            if (login == null) {
                throw new IllegalStateException("no login form for " + email + ": " + snippet(page.body()));
            }
            login.fields.put("email", email);
            login.fields.put("password", opt.get("password"));
            HttpResponse<String> r = post(f.at.resolve(login.action), login.fields);
            URI at = follow(f.at.resolve(login.action), r, f);
            if (at != null) {
                throw new IllegalStateException(email + " got a code without a chooser: is the user in two organizations?");
            }
            finish(f);
            next = System.identityHashCode(this);
        }

        @Override
        public void step() throws Exception {
            Flow f = authorize();
            if (f.page.statusCode() != 200 || !f.at.getPath().equals("/oauth2/organization")) {
                throw new Fail("authorize did not lead to the chooser: " + f.page.statusCode() + " " + f.at.getPath());
            }
            finish(f);
        }

        /** The chooser page of {@code f}: choose the next organization and redeem the code. */
        private void finish(Flow f) throws Exception {
            Form chooser = Form.find(f.page.body(), "request_uri");
            List<String> orgs = new ArrayList<>();
            Matcher m = Pattern.compile("name=\"org\" value=\"([0-9a-f-]{36})\"").matcher(f.page.body());
            while (m.find()) {
                orgs.add(m.group(1));
            }
            if (chooser == null || orgs.size() < 2) {
                throw new Fail("not a chooser page with two organizations: " + snippet(f.page.body()));
            }
            String org = orgs.get(Math.floorMod(next++, orgs.size()));
            chooser.fields.put("org", org);
            URI action = f.at.resolve(chooser.action);
            URI code = follow(action, post(action, chooser.fields), f);
            if (code == null) {
                throw new Fail("no code after choosing: " + f.page.statusCode() + " " + snippet(f.page.body()));
            }
            Map<String, String> q = query(code);
            if (!f.state.equals(q.get("state")) || q.get("code") == null) {
                throw new Fail("bad redirect " + code);
            }
            String basic = Base64.getEncoder().encodeToString((opt.get("client-id") + ":" + opt.get("client-secret")).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> t = send(HttpRequest.newBuilder(base.resolve("/oauth2/token")).header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code", q.get("code"),
                            "redirect_uri", redirect, "code_verifier", f.verifier)))).build());
            if (t.statusCode() != 200) {
                throw new Fail("token status " + t.statusCode() + " " + snippet(t.body()));
            }
            Matcher claim = ORG_CLAIM.matcher(payload(accessToken(t)));
            if (!claim.find() || !claim.group(1).equals(org)) {
                throw new Fail("token not for the organization chosen");
            }
            orgsPerResponse.add(orgs.size());
        }

        private Flow authorize() throws Exception {
            Flow f = new Flow();
            byte[] v = new byte[32];
            RANDOM.nextBytes(v);
            f.verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(v);
            f.state = Long.toHexString(RANDOM.nextLong());
            String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(f.verifier.getBytes(StandardCharsets.US_ASCII)));
            URI authz = base.resolve("/oauth2/authorize?" + form(Map.of("response_type", "code", "client_id", opt.get("client-id"),
                    "redirect_uri", redirect, "scope", "openid", "state", f.state, "code_challenge", challenge,
                    "code_challenge_method", "S256")));
            if (follow(authz, get(authz), f) != null) {
                throw new Fail("a code without a chooser");
            }
            return f;
        }

        /** Follows redirects from {@code r}: the redirect_uri reached (not requested) is returned; else null with the page in f. */
        private URI follow(URI from, HttpResponse<String> r, Flow f) throws Exception {
            URI at = from;
            for (int hop = 0; r.statusCode() / 100 == 3; hop++) {
                at = at.resolve(r.headers().firstValue("location").orElseThrow());
                if (at.toString().startsWith(redirect)) {
                    return at;
                }
                if (hop > 5) {
                    throw new Fail("too many redirects at " + at);
                }
                r = get(at);
            }
            f.at = at;
            f.page = r;
            return null;
        }

        private HttpResponse<String> get(URI u) throws Exception {
            HttpResponse<String> r = send(withCookies(HttpRequest.newBuilder(u), cookies).GET().build());
            take(r, cookies);
            return r;
        }

        private HttpResponse<String> post(URI u, Map<String, String> fields) throws Exception {
            HttpResponse<String> r = send(withCookies(HttpRequest.newBuilder(u), cookies)
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base.toString().replaceAll("/$", ""))
                    .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build());
            take(r, cookies);
            return r;
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** One authorization request in flight. */
    private static final class Flow {
        String verifier;
        String state;
        URI at;
        HttpResponse<String> page;
    }

    /** An HTML form: its action and its inputs' values (the first form holding an input named {@code mustHave}). */
    private record Form(String action, Map<String, String> fields) {
        private static final Pattern FORM = Pattern.compile("(?is)<form\\b([^>]*)>(.*?)</form>");
        private static final Pattern INPUT = Pattern.compile("(?is)<input\\b([^>]*)>");
        private static final Pattern ATTR = Pattern.compile("(?is)([a-z_-]+)\\s*=\\s*\"([^\"]*)\"");

        static Form find(String html, String mustHave) {
            Matcher fm = FORM.matcher(html);
            while (fm.find()) {
                if (!fm.group(2).contains("name=\"" + mustHave + "\"")) {
                    continue;
                }
                Map<String, String> fields = new LinkedHashMap<>();
                Matcher im = INPUT.matcher(fm.group(2));
                while (im.find()) {
                    Map<String, String> a = attrs(im.group(1));
                    String type = a.getOrDefault("type", "text").toLowerCase(Locale.ROOT);
                    if (a.containsKey("name") && !type.equals("submit") && !type.equals("button")
                            && (!(type.equals("checkbox") || type.equals("radio")) || a.containsKey("checked"))) {
                        fields.put(a.get("name"), unescape(a.getOrDefault("value", "")));
                    }
                }
                return new Form(unescape(attrs(fm.group(1)).getOrDefault("action", "")), fields);
            }
            return null;
        }

        private static Map<String, String> attrs(String s) {
            Map<String, String> a = new HashMap<>();
            Matcher m = ATTR.matcher(s);
            while (m.find()) {
                a.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
            }
            return a;
        }

        private static String unescape(String s) {
            return s.replace("&amp;", "&").replace("&quot;", "\"").replace("&#34;", "\"").replace("&#39;", "'")
                    .replace("&lt;", "<").replace("&gt;", ">");
        }
    }

    private static String form(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "&").append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }

    private static Map<String, String> query(URI u) {
        Map<String, String> q = new HashMap<>();
        for (String p : java.util.Optional.ofNullable(u.getRawQuery()).orElse("").split("&")) {
            int eq = p.indexOf('=');
            if (eq > 0) {
                q.put(p.substring(0, eq), java.net.URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    // ---------------------------------------------------------------- HTTP

    private HttpResponse<String> login(String email, Map<String, String> jar) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/api/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + opt.get("password") + "\"}")).build());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("login of " + email + " answered " + r.statusCode() + " " + snippet(r.body()));
        }
        take(r, jar);
        return r;
    }

    private HttpResponse<String> send(HttpRequest req) throws IOException, InterruptedException {
        sent.get()[0]++;
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static String accessToken(HttpResponse<String> r) throws Fail {
        Matcher m = ACCESS.matcher(r.body());
        if (!m.find()) {
            throw new Fail("no access_token: " + snippet(r.body()));
        }
        return m.group(1);
    }

    private static String payload(String jwt) throws Fail {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new Fail("access token is not a JWS");
        }
        return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    }

    private static HttpRequest.Builder withCookies(HttpRequest.Builder b, Map<String, String> jar) {
        if (!jar.isEmpty()) {
            b.header("Cookie", String.join("; ", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        return b;
    }

    /** Every Set-Cookie replaces the value of its name (one host, one path family: the first-party API). */
    private static void take(HttpResponse<?> r, Map<String, String> jar) {
        for (String sc : r.headers().allValues("set-cookie")) {
            String first = sc.split(";", 2)[0];
            int eq = first.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = first.substring(eq + 1).trim();
            boolean expired = value.isEmpty() || sc.toLowerCase(Locale.ROOT).contains("max-age=0");
            if (expired) {
                jar.remove(first.substring(0, eq).trim());
            } else {
                jar.put(first.substring(0, eq).trim(), value);
            }
        }
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String snippet(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    private static void sleepUntil(long nanos) {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Math.max(1, wait / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---------------------------------------------------------------- CPU from /proc, as Load.java counts it

    /** {total ticks, busy ticks, server tree ticks (-1: no server pid), own ticks}. */
    private static long[] cpuSample(List<Long> roots) {
        long total = -1;
        long busy = -1;
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long sum = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                sum += Long.parseLong(f[i]);
            }
            total = sum;
            busy = sum - Long.parseLong(f[4]) - Long.parseLong(f[5]);
        } catch (IOException | RuntimeException ignored) {
            // no /proc: CPU columns stay empty
        }
        return new long[] {total, busy, roots.isEmpty() ? -1 : treeTicks(roots), procTicks("self")};
    }

    private static long procTicks(String pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime + cutime + cstime of the roots and all their descendants (a JVM and a postmaster's backends). */
    private static long treeTicks(List<Long> roots) {
        Map<Long, List<Long>> children = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        try (var dir = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : dir) {
                try {
                    String st = Files.readString(d.resolve("stat"));
                    String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(d.getFileName().toString());
                    ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]));
                    children.computeIfAbsent(Long.parseLong(f[1]), k -> new ArrayList<>()).add(pid);
                } catch (IOException | RuntimeException ignored) {
                    // the process went away meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        long sum = 0;
        Set<Long> seen = new HashSet<>();
        Deque<Long> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            long pid = todo.pop();
            if (seen.add(pid) && ticks.containsKey(pid)) {
                sum += ticks.get(pid);
                todo.addAll(children.getOrDefault(pid, List.of()));
            }
        }
        return sum;
    }
}
